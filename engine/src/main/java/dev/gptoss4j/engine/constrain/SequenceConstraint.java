package dev.gptoss4j.engine.constrain;

/** Constraints one after another; each takes over when the one before is done. */
final class SequenceConstraint implements TokenConstraint {

    private final TokenConstraint[] parts;
    private int current;

    SequenceConstraint(TokenConstraint[] parts) {
        this.parts = parts.clone();
        skipDone();
    }

    private void skipDone() {
        while (current < parts.length && parts[current].isDone()) current++;
    }

    @Override
    public void mask(float[] logits) {
        if (!isDone()) parts[current].mask(logits);
    }

    @Override
    public void accept(int token) {
        if (isDone()) throw new IllegalStateException("the constrained sequence is over");
        parts[current].accept(token);
        skipDone();
    }

    @Override
    public boolean isDone() {
        return current == parts.length;
    }
}

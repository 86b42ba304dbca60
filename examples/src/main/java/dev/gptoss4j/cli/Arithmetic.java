package dev.gptoss4j.cli;

import dev.gptoss4j.agent.tool.ToolException;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A small recursive-descent evaluator for the calculator tool: no scripting engine, so a model cannot run code
 * through it. Grammar: {@code expr = term (('+'|'-') term)*; term = power (('*'|'/'|'%') power)*;
 * power = unary ('^' power)?; unary = '-' unary | atom; atom = number | '(' expr ')' | 'sqrt(' expr ')'}.
 */
final class Arithmetic {

    private static final MathContext MC = MathContext.DECIMAL64;

    private final String s;
    private int i;

    private Arithmetic(String s) {
        this.s = s;
    }

    static String evaluate(String expression) {
        if (expression == null || expression.isBlank()) throw new ToolException("the expression is empty");
        if (expression.length() > 500) throw new ToolException("the expression is longer than 500 characters");
        Arithmetic a = new Arithmetic(expression);
        BigDecimal v = a.expr();
        a.skip();
        if (a.i < a.s.length()) throw a.error("unexpected '" + a.s.charAt(a.i) + "'");
        BigDecimal out = v.stripTrailingZeros();
        return out.toPlainString();
    }

    private BigDecimal expr() {
        BigDecimal v = term();
        while (true) {
            if (eat('+')) v = v.add(term(), MC);
            else if (eat('-')) v = v.subtract(term(), MC);
            else return v;
        }
    }

    private BigDecimal term() {
        BigDecimal v = power();
        while (true) {
            if (eat('*')) {
                v = v.multiply(power(), MC);
            } else if (eat('/')) {
                BigDecimal d = power();
                if (d.signum() == 0) throw error("division by zero");
                v = v.divide(d, MC);
            } else if (eat('%')) {
                BigDecimal d = power();
                if (d.signum() == 0) throw error("modulo by zero");
                v = v.remainder(d, MC);
            } else {
                return v;
            }
        }
    }

    private BigDecimal power() {
        BigDecimal base = unary();
        if (!eat('^')) return base;
        BigDecimal exp = power();
        try {
            int n = exp.intValueExact();
            if (Math.abs(n) > 999) throw error("exponent " + n + " is too large");
            return n >= 0 ? base.pow(n, MC) : BigDecimal.ONE.divide(base.pow(-n, MC), MC);
        } catch (ArithmeticException e) {
            return new BigDecimal(Math.pow(base.doubleValue(), exp.doubleValue()), MC);
        }
    }

    private BigDecimal unary() {
        if (eat('-')) return unary().negate();
        if (eat('+')) return unary();
        return atom();
    }

    private BigDecimal atom() {
        skip();
        if (eat('(')) {
            BigDecimal v = expr();
            if (!eat(')')) throw error("missing ')'");
            return v;
        }
        if (s.startsWith("sqrt", i)) {
            i += 4;
            if (!eat('(')) throw error("sqrt needs '('");
            BigDecimal v = expr();
            if (!eat(')')) throw error("missing ')'");
            if (v.signum() < 0) throw error("square root of a negative number");
            return v.sqrt(MC);
        }
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) i++;
        if (start == i) throw error(i < s.length() ? "unexpected '" + s.charAt(i) + "'" : "the expression ends early");
        try {
            return new BigDecimal(s.substring(start, i).replace("_", ""));
        } catch (NumberFormatException e) {
            throw error("bad number '" + s.substring(start, i) + "'");
        }
    }

    private boolean eat(char c) {
        skip();
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private ToolException error(String what) {
        return new ToolException(what + " at position " + i + " of '" + s + "'");
    }
}

package dev.gptoss4j.tools.sandbox;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/** GraalJS: each cell is a script in the same global scope; its completion value is shown like a REPL. */
final class JavaScriptRuntime implements GuestRuntime {

    /**
     * Display form of a value, in the spirit of the Node REPL; evaluated to a function, not a global. The console's
     * methods show objects the same way.
     */
    private static final Source SHOW =
            Source.newBuilder("js", """
            (function () {
              'use strict';
              function show(v) {
                switch (typeof v) {
                  case 'string': return JSON.stringify(v);
                  case 'function': return '[Function: ' + (v.name || 'anonymous') + ']';
                  case 'bigint': return v.toString() + 'n';
                  case 'symbol': return v.toString();
                  case 'object': {
                    if (v === null) return 'null';
                    if (v instanceof Error) return String(v.stack || v);
                    if (v instanceof Map) return 'Map(' + v.size + ') ' + show(Array.from(v.entries()));
                    if (v instanceof Set) return 'Set(' + v.size + ') ' + show(Array.from(v.values()));
                    const seen = new WeakSet();
                    try {
                      const s = JSON.stringify(v, function (k, x) {
                        if (typeof x === 'bigint') return x.toString() + 'n';
                        if (typeof x === 'function') return '[Function: ' + (x.name || 'anonymous') + ']';
                        if (typeof x === 'object' && x !== null) {
                          if (seen.has(x)) return '[Circular]';
                          seen.add(x);
                        }
                        return x;
                      });
                      if (s !== undefined) return s;
                    } catch (e) { /* fall through */ }
                    return String(v);
                  }
                  default: return String(v);
                }
              }
              // GraalJS's console prints an object as [object Object]; as Node shows it, it is readable
              for (const name of ['log', 'info', 'debug', 'warn', 'error', 'trace']) {
                const original = console[name];
                if (typeof original !== 'function') continue;
                console[name] = function (...args) {
                  return original.apply(console, args.map(function (a) {
                    return (typeof a === 'object' && a !== null) || typeof a === 'function' ? show(a) : a;
                  }));
                };
              }
              return show;
            })()
            """, "<gptoss4j show>").internal(true).buildLiteral();

    @Override
    public SandboxLanguage language() {
        return SandboxLanguage.JAVASCRIPT;
    }

    @Override
    public void configure(Context.Builder builder) {
        // `load` would read files, `print` duplicates console.log; only the ECMAScript core and console stay.
        builder.option("js.load", "false")
                .option("js.graal-builtin", "false")
                .option("js.console", "true")
                .option("js.print", "true");
    }

    @Override
    public Value prepare(Context context) {
        return context.eval(SHOW);
    }

    @Override
    public Outcome run(Context context, Value show, String code, int cellNumber) {
        Source source =
                Source.newBuilder("js", code, "<cell " + cellNumber + ">").buildLiteral();
        Value result;
        try {
            result = context.eval(source);
        } catch (PolyglotException e) {
            if (e.isGuestException()
                    && !e.isCancelled()
                    && !e.isExit()
                    && !e.isInterrupted()
                    && !e.isResourceExhausted()) {
                return new Outcome(null, e.isSyntaxError() ? ErrorKind.SYNTAX_ERROR : ErrorKind.EXCEPTION, describe(e));
            }
            throw e;
        }
        if (result.isNull() && !"null".equals(result.toString())) {
            return Outcome.success(null); // undefined: a statement, nothing to show
        }
        return Outcome.success(show.execute(result).asString());
    }

    /** "TypeError: ..." followed by the cell frames, the way a JS console prints an uncaught error. */
    static String describe(PolyglotException e) {
        StringBuilder sb = new StringBuilder(e.getMessage() == null ? "Error" : e.getMessage());
        if (e.isSyntaxError()) {
            return sb.toString(); // GraalJS puts the cell, line and column into the message itself
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection at = frame.getSourceLocation();
            if (!frame.isGuestFrame()
                    || at == null
                    || at.getSource() == null
                    || at.getSource().isInternal()) {
                continue;
            }
            String fn = frame.getRootName();
            sb.append("\n    at ");
            if (fn != null && !fn.isEmpty() && !fn.equals(":program")) {
                sb.append(fn).append(" (");
            }
            sb.append(at.getSource().getName())
                    .append(':')
                    .append(at.getStartLine())
                    .append(':')
                    .append(at.getStartColumn());
            if (fn != null && !fn.isEmpty() && !fn.equals(":program")) {
                sb.append(')');
            }
        }
        return sb.toString();
    }
}

# Cell runner of the gptoss4j python sandbox, evaluated once per context. The value of this source
# is the runner function; the helper name is popped from the user's globals by the last line, so
# nothing of it stays in the notebook's namespace.
def __gptoss4j_make_runner():
    import ast
    import linecache
    import os
    import sys
    import traceback

    namespace = sys.modules['__main__'].__dict__
    # The standard library lives in a host cache directory; show it where CPython would have it.
    stdlib = os.path.dirname(ast.__file__)
    shown_stdlib = '/usr/lib/python%d.%d' % sys.version_info[:2]
    max_frames = 40
    runner_file = sys._getframe().f_code.co_filename

    # No processes: make subprocess fail with a plain refusal instead of a misleading "file not found".
    try:
        import _posixsubprocess

        def fork_exec(*args, **kwargs):
            raise PermissionError(1, 'starting processes is not allowed in this sandbox')

        _posixsubprocess.fork_exec = fork_exec
    except ImportError:
        pass

    def format_error(e, tb):
        # Skip this runner's own frames so the traceback starts at the user's code.
        while tb is not None and tb.tb_frame.f_code.co_filename == runner_file:
            tb = tb.tb_next
        depth = 0
        t = tb
        while t is not None:
            depth += 1
            t = t.tb_next
        if depth <= max_frames:
            lines = traceback.format_exception(type(e), e, tb)
        else:
            # Formatting thousands of frames (deep recursion) is slow in the interpreter; the innermost matter.
            lines = traceback.format_exception(type(e), e, tb, limit=-max_frames)
            lines.insert(1, '  [... %d outer frames omitted ...]\n' % (depth - max_frames))
        return ''.join(lines).replace(stdlib, shown_stdlib)

    def flush():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass

    def run(src, cell):
        name = '<cell %d>' % cell
        # Lets tracebacks quote the offending line, as a notebook does.
        linecache.cache[name] = (len(src), None, src.splitlines(True), name)
        try:
            tree = ast.parse(src, name, 'exec')
        except (SyntaxError, ValueError) as e:
            return (None, 'syntax', ''.join(traceback.format_exception_only(type(e), e)))
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        try:
            exec(compile(tree, name, 'exec'), namespace)
            value = eval(compile(last, name, 'eval'), namespace) if last is not None else None
            if value is None:
                return (None, None, None)
            namespace['_'] = value
            return (repr(value), None, None)
        except BaseException as e:
            return (None, 'exception', format_error(e, e.__traceback__))
        finally:
            flush()

    return run

globals().pop('__gptoss4j_make_runner')()

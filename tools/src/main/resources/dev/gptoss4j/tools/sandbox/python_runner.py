# Cell runner of the gptoss4j python sandbox, evaluated once per context. The value of this source
# is the runner function; the helper name is popped from the user's globals by the last line, so
# nothing of it stays in the notebook's namespace.
def __gptoss4j_make_runner():
    import _io
    import ast
    import builtins
    import io
    import linecache
    import os
    import sys
    import traceback
    import weakref

    namespace = sys.modules['__main__'].__dict__
    # The standard library lives in a host cache directory; show it where CPython would have it.
    stdlib = os.path.dirname(ast.__file__)
    shown_stdlib = '/usr/lib/python%d.%d' % sys.version_info[:2]
    # Its parent's parent is the interpreter's home in that cache (native modules' paths name it).
    home = os.path.dirname(os.path.dirname(stdlib))
    max_frames = 40
    runner_file = sys._getframe().f_code.co_filename

    # The guest sees no environment, so '~' fell back to the host account's home, a path it cannot use.
    os.environ['HOME'] = '/mnt/data'

    # The volume opens no directory as a file, so no descriptor can serve as a dir_fd. Saying so keeps shutil.rmtree
    # (which reads this set when shutil is imported) on its walk by paths; its walk by descriptors failed every time.
    os.supports_dir_fd.discard(os.open)

    # No processes: make subprocess fail with a plain refusal instead of a misleading "file not found".
    try:
        import _posixsubprocess

        def fork_exec(*args, **kwargs):
            raise PermissionError(1, 'starting processes is not allowed in this sandbox')

        _posixsubprocess.fork_exec = fork_exec
    except ImportError:
        pass

    # GraalPy counts no references, so it never flushes a file the code does not close, where CPython flushes
    # and closes it as soon as its last reference goes: `open(p, 'w').write(s)` would leave p empty. The files a
    # cell opens for writing are held (so none is collected with its data still buffered) and flushed when their
    # path is opened again (so a read sees what was written) and after the cell; then they are held weakly, so
    # the ones the code keeps open are flushed after every later cell too. Past max_held files in one cell, all
    # but the newest few are flushed and held weakly, so a loop writing thousands of files keeps no buffers.
    real_open = _io.open
    held = []  # this cell's files opened for writing, oldest first
    by_path = {}  # absolute path (None: opened by descriptor) -> those of the held files opened under it
    kept = weakref.WeakSet()
    max_held = 256
    newest_held = 16

    def path_of(file):
        if isinstance(file, int):
            return None
        try:
            return os.path.abspath(os.fsdecode(os.fspath(file)))
        except (TypeError, ValueError):
            return None

    def open(file, mode='r', *args, **kwargs):
        path = path_of(file)
        # flushed once: later writes through a reference the code keeps are not shown before a flush in CPython
        # either, and a path opened in a loop does not pile up flushes
        flush_all(by_path.pop(path, ()))
        flush_all(by_path.pop(None, ()))  # opened by descriptor: maybe this path
        f = real_open(file, mode, *args, **kwargs)
        if isinstance(mode, str) and any(c in mode for c in 'wax+'):
            held.append(f)
            by_path.setdefault(path, []).append(f)
            if len(held) > max_held:
                release(len(held) - newest_held)
        return f

    open.__doc__ = real_open.__doc__
    open.__qualname__ = open.__name__
    open.__module__ = 'io'
    builtins.open = io.open = _io.open = open

    def flush_all(files):
        for f in files:
            try:
                if not f.closed:
                    f.flush()
            except Exception as e:
                print('Warning: the end of %r, a file the code left open, could not be written: %s: %s'
                      % (getattr(f, 'name', '?'), type(e).__name__, e), file=sys.stderr)

    def release(count):
        """Flushes the oldest count held files and holds them weakly from now on."""
        oldest = held[:count]
        del held[:count]
        flush_all(oldest)
        gone = set(map(id, oldest))
        for path in list(by_path):
            files = [f for f in by_path[path] if id(f) not in gone]
            if files:
                by_path[path] = files
            else:
                del by_path[path]
        for f in oldest:
            try:
                kept.add(f)
            except TypeError:
                pass  # a file object that cannot be weakly referenced is flushed now only

    def flush_files():
        earlier = list(kept)
        release(len(held))
        flush_all(earlier)

    def user_frames(tb):
        # This runner's frames (around the cell, and the open above) are not the user's code.
        first = last = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename != runner_file:
                if last is None:
                    first = tb
                else:
                    last.tb_next = tb
                last = tb
            tb = tb.tb_next
        if last is not None:
            last.tb_next = None
        return first

    def format_error(e, tb):
        tb = user_frames(tb)
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
        return ''.join(lines).replace(stdlib, shown_stdlib).replace(home, '/usr')

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
            flush_files()
            flush()

    return run

globals().pop('__gptoss4j_make_runner')()

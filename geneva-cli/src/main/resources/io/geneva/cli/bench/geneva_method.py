"""The Python "Geneva method" baseline for `geneva bench`.

Usage: python3 geneva_method.py warm|cold ROOT...

warm: for each classpath root, walk it and checksum the (path, mtime) of every file
      (MD5 over "path:mtime" lines); nothing is zipped.
cold: the same checksum, then one zip per root at deflate level 1 (jars are re-deflated,
      so a directory of jars becomes one zip).

Prints the elapsed seconds, timed inside Python (interpreter start-up excluded), as the
last line. Zips go to a temporary directory under the working directory, deleted after
the clock stops.
"""
import hashlib
import os
import shutil
import sys
import tempfile
import time
import zipfile


def files_of(root):
    """Every regular file under root, as (absolute path, path relative to root), sorted."""
    if os.path.isfile(root):
        return [(root, os.path.basename(root))]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            out.append((path, os.path.relpath(path, root)))
    return out


def checksum(files):
    md5 = hashlib.md5()
    for path, _ in files:
        md5.update(f"{path}:{os.stat(path).st_mtime}\n".encode("utf-8"))
    return md5.hexdigest()


def zip_root(files, target):
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path, arcname in files:
            zf.write(path, arcname)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("warm", "cold"):
        print("usage: geneva_method.py warm|cold ROOT...", file=sys.stderr)
        return 2
    mode, roots = argv[1], argv[2:]
    out_dir = tempfile.mkdtemp(prefix="geneva-method-", dir=os.getcwd())
    try:
        started = time.perf_counter()
        for root in roots:
            files = files_of(root)
            digest = checksum(files)
            if mode == "cold":
                zip_root(files, os.path.join(out_dir, digest + ".zip"))
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    print(f"{elapsed:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Reading the files of a pack from a ZIP (``.studypack``) or a folder, defensively.

Nothing is ever extracted: entries are read into memory, counting real bytes as they are
decompressed (header sizes can lie). Refused: absolute paths, ``..``, backslashes, drive
letters, symlinks, duplicate names, and anything over :mod:`studyapp.packs.limits`. Every
refusal is a :class:`~studyapp.domain.errors.PackError` naming the file and the entry.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from studyapp.domain.errors import PackError
from studyapp.packs.limits import DEFAULT_LIMITS, ArchiveLimits

_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class PackFiles:
    """The files of a pack: relative POSIX name -> bytes."""

    origin: Path
    files: dict[str, bytes]
    is_archive: bool


def check_member_name(name: str, origin: Path, limits: ArchiveLimits) -> str:
    """Return ``name`` if it is a safe relative POSIX path, else raise PackError."""
    bad = None
    if not name or len(name) > limits.max_path_length:
        bad = "an empty or over-long path"
    elif "\\" in name or "\0" in name:
        bad = "a backslash or NUL in its path"
    elif name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        bad = "an absolute path"
    else:
        parts = PurePosixPath(name).parts
        if any(p in ("..", ".", "") for p in parts):
            bad = "'..' or '.' in its path"
    if bad:
        raise PackError(
            f"{origin}: entry {name!r} has {bad}; the pack is refused to protect your files. "
            "Ask the pack's author for a corrected file."
        )
    return name


def read_pack_files(path: Path, limits: ArchiveLimits = DEFAULT_LIMITS) -> PackFiles:
    """Read a pack folder or ZIP archive under the limits."""
    if path.is_symlink():
        raise PackError(f"{path}: is a symbolic link; open the file it points to instead.")
    if path.is_dir():
        return _read_folder(path, limits)
    if not path.is_file():
        raise PackError(f"{path}: no such file or folder.")
    return _read_zip(path, limits)


def _read_folder(root: Path, limits: ArchiveLimits) -> PackFiles:
    files: dict[str, bytes] = {}
    total = 0
    for item in sorted(root.rglob("*")):
        rel = item.relative_to(root).as_posix()
        if any(part.startswith(".") or part == "__pycache__" for part in PurePosixPath(rel).parts):
            continue  # editor, VCS and Python caches are not pack content
        if item.is_symlink():
            raise PackError(f"{root}: {rel} is a symbolic link; packs may not contain links.")
        if item.is_dir():
            continue
        if rel == "__init__.py":
            continue  # the installed question_banks package marker
        check_member_name(rel, root, limits)
        if len(files) >= limits.max_files:
            raise PackError(f"{root}: more than {limits.max_files} files; not a pack.")
        size = item.stat().st_size
        if size > limits.max_file_bytes:
            raise PackError(
                f"{root}: {rel} is {size:,} bytes; the limit is {limits.max_file_bytes:,}."
            )
        total += size
        if total > limits.max_total_bytes:
            raise PackError(f"{root}: files add up to more than {limits.max_total_bytes:,} bytes.")
        files[rel] = item.read_bytes()
    return PackFiles(root, files, is_archive=False)


def _read_zip(path: Path, limits: ArchiveLimits) -> PackFiles:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a header claiming a ZIP version zipfile does not implement.
        raise PackError(
            f"{path}: not a readable pack archive ({exc}). A .studypack file is a ZIP archive; "
            "the file may be damaged or of another kind."
        ) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_files:
            raise PackError(
                f"{path}: holds {len(infos):,} entries; the limit is {limits.max_files:,}."
            )
        files: dict[str, bytes] = {}
        total = 0
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise PackError(
                    f"{path}: entry {name!r} is a symbolic link; packs may not contain links."
                )
            if info.is_dir():
                check_member_name(name.rstrip("/"), path, limits)
                continue
            check_member_name(name, path, limits)
            if name in files:
                raise PackError(f"{path}: entry {name!r} appears twice.")
            if info.flag_bits & 0x1:
                raise PackError(f"{path}: entry {name!r} is encrypted; packs are never encrypted.")
            if info.file_size > limits.max_file_bytes:
                raise PackError(
                    f"{path}: entry {name!r} unpacks to {info.file_size:,} bytes; "
                    f"the limit is {limits.max_file_bytes:,}."
                )
            data = _read_entry(archive, info, path, limits)
            total += len(data)
            if total > limits.max_total_bytes:
                raise PackError(f"{path}: unpacks to more than {limits.max_total_bytes:,} bytes.")
            files[name] = data
    return PackFiles(path, files, is_archive=True)


def _read_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: ArchiveLimits
) -> bytes:
    name = info.filename
    budget = min(limits.max_file_bytes, int(max(info.compress_size, 1) * limits.max_ratio) + 4096)
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > budget:
                    raise PackError(
                        f"{path}: entry {name!r} expands more than {limits.max_ratio:.0f} times "
                        f"or past {limits.max_file_bytes:,} bytes (a 'zip bomb'); "
                        "the pack is refused."
                    )
                chunks.append(chunk)
    except PackError:
        raise
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise PackError(
            f"{path}: entry {name!r} cannot be read ({exc}); the archive is damaged."
        ) from exc
    except Exception as exc:  # zlib/bz2/lzma raise their own errors on corrupt streams
        raise PackError(
            f"{path}: entry {name!r} cannot be read ({type(exc).__name__}); the archive is damaged."
        ) from exc
    return b"".join(chunks)

"""`$ref` handling: bundle external files in, check local refs, find cycles.

After `bundle`, the document refers only to itself. External targets are
inlined where referenced; a target that (through other files) refers back
to itself is hoisted into `components/schemas` (or `definitions`) and
referenced locally, which is how recursive schemas survive bundling.
"""

from __future__ import annotations

import os
import posixpath
import re
from typing import Any, Callable
from urllib.parse import unquote, urljoin

from ..diagnostics import Diagnostic, SpecError, error, pointer_join, pointer_split
from .reading import load_document

Loader = Callable[[str], Any]


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer; KeyError/IndexError when absent."""
    node = document
    for part in pointer_split(pointer):
        node = node[int(part)] if isinstance(node, (list, tuple)) else node[part]
    return node


def resolve_local(document: Any, node: Any) -> Any:
    """`node`, or what its local `$ref` points at (itself when that is unresolvable)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not (isinstance(ref, str) and ref.startswith("#/")):
        return node
    try:
        return resolve_pointer(document, ref[1:])
    except (KeyError, IndexError, ValueError, TypeError):
        return node


def bundle(
    document: Any, location: str, *, allow_remote: bool, ref_root: str | None = None
) -> Any:
    """Return `document` with every non-local `$ref` replaced by local content;
    a file `$ref` may reach only `ref_root` (default: the spec's folder) and below."""
    section = ("definitions",) if "swagger" in document else ("components", "schemas")
    folder = ref_root or (
        None if _is_url(location) else os.path.dirname(os.path.abspath(location))
    )
    bundler = _Bundler(location, allow_remote, "#/" + "/".join(section) + "/", folder)
    result = bundler.walk(document, location, "")
    if bundler.hoisted:
        target = result
        for key in section:
            target = target.setdefault(key, {})
        target.update(bundler.hoisted)
    if bundler.errors:
        raise SpecError(bundler.errors)
    return result


class _Bundler:
    def __init__(
        self, root: str, allow_remote: bool, hoist_prefix: str, folder: str | None
    ) -> None:
        self.root = root
        self.folder = os.path.realpath(folder) if folder else None
        self.hoist_prefix = hoist_prefix
        self.allow_remote = allow_remote
        self.files: dict[str, Any] = {root: None}
        self.stack: list[str] = []
        self.hoisted: dict[str, Any] = {}
        self.hoisted_names: dict[str, str] = {}
        self.errors: list[Diagnostic] = []

    def walk(self, node: Any, file: str, pointer: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and "%" in ref.partition("#")[2]:
                # a URI fragment may percent-encode its pointer (`~1%7Bid%7D`, RFC 6901 s6)
                ref = ref.partition("#")[0] + "#" + unquote(ref.partition("#")[2])
                node = {**node, "$ref": ref}
            if isinstance(ref, str) and (file != self.root or not ref.startswith("#")):
                return self.external(ref, file, pointer)
            return {
                k: self.walk(v, file, f"{pointer}/{_esc(k)}") for k, v in node.items()
            }
        if isinstance(node, list):
            return [self.walk(v, file, f"{pointer}/{i}") for i, v in enumerate(node)]
        return node

    def external(self, ref: str, file: str, pointer: str) -> Any:
        target_file, _, fragment = ref.partition("#")
        target_file = _join(file, target_file) if target_file else file
        key = f"{target_file}#{fragment}"
        if key in self.stack:
            return {"$ref": self.hoist(key, target_file, fragment)}
        site = pointer + "/$ref"
        if _is_url(target_file) and not self.allow_remote:
            self.errors.append(
                error(
                    file,
                    site,
                    f"remote $ref {ref!r} is disabled",
                    "pass --allow-remote to fetch remote $refs, or save the file next to the spec",
                )
            )
            return {}
        if (
            not _is_url(target_file)
            and self.folder
            and not _inside(target_file, self.folder)
        ):
            # a spec compiled on someone's behalf must not read (and copy into the
            # package) files elsewhere on the machine: /etc/..., ../../secret.json
            self.errors.append(
                error(
                    file,
                    site,
                    f"$ref {ref!r} reaches outside {self.folder}",
                    "keep referenced files in the spec's folder or below it, or pass "
                    "--ref-root FOLDER to let $refs reach a wider folder",
                )
            )
            return {}
        try:
            target = resolve_pointer(self.document(target_file), fragment)
        except SpecError as exc:
            reason = "; ".join(d.message for d in exc.diagnostics)
            self.errors.append(
                error(
                    file,
                    site,
                    f"unresolvable $ref {ref!r}: {reason}",
                    "point the $ref at an existing, valid file",
                )
            )
            return {}
        except (KeyError, IndexError, ValueError, TypeError):
            self.errors.append(
                error(
                    file,
                    site,
                    f"unresolvable $ref {ref!r}: no such JSON pointer in {target_file}",
                    "point the $ref at an existing file and JSON pointer",
                )
            )
            return {}
        self.stack.append(key)
        try:
            return self.walk(target, target_file, fragment)
        finally:
            self.stack.pop()

    def hoist(self, key: str, target_file: str, fragment: str) -> str:
        name = self.hoisted_names.get(key)
        if name is None:
            base = re.sub(
                r"[^A-Za-z0-9_]",
                "_",
                (pointer_split(fragment) or [posixpath.basename(target_file)])[-1],
            )
            name = base
            while name in self.hoisted or name in self.hoisted_names.values():
                name += "_"
            self.hoisted_names[key] = name
            self.hoisted[name] = {}
            self.hoisted[name] = self.walk(
                resolve_pointer(self.document(target_file), fragment),
                target_file,
                fragment,
            )
        return self.hoist_prefix + name

    def document(self, file: str) -> Any:
        if self.files.get(file) is None:
            self.files[file] = load_document(file, allow_remote=self.allow_remote)
        return self.files[file]


def check_local_refs(document: Any, file: str) -> list[Diagnostic]:
    """Every local `$ref` must resolve, and no chain of refs may loop."""
    problems: list[Diagnostic] = []
    for pointer, ref in iter_refs(document):
        if not ref.startswith("#"):
            continue
        chain = [ref]
        while True:
            try:
                target = resolve_pointer(document, ref[1:])
            except (KeyError, IndexError, ValueError, TypeError):
                problems.append(
                    error(
                        file,
                        pointer,
                        f"unresolvable $ref {chain[-1]!r}",
                        "define the referenced component or fix the JSON pointer",
                    )
                )
                break
            nxt = target.get("$ref") if isinstance(target, dict) else None
            if not isinstance(nxt, str) or not nxt.startswith("#"):
                break
            if nxt in chain:
                problems.append(
                    error(
                        file,
                        pointer,
                        "$ref cycle: " + " -> ".join(chain + [nxt]),
                        "a schema may refer to itself through properties or items, but not be only a $ref to itself",
                    )
                )
                break
            chain.append(nxt)
            ref = nxt
    return problems


def iter_refs(node: Any, pointer: str = ""):
    """Yield (pointer of the $ref keyword, ref string) for every `$ref`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield pointer + "/$ref", ref
        for k, v in node.items():
            if k != "$ref":
                yield from iter_refs(v, f"{pointer}/{_esc(k)}")
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from iter_refs(v, f"{pointer}/{i}")


def _inside(target: str, folder: str) -> bool:
    """Whether a referenced file lies in `folder` or below it (symbolic links
    followed, so a link cannot lead out either)."""
    return os.path.commonpath([folder, os.path.realpath(target)]) == folder


def _is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _join(base: str, relative: str) -> str:
    if _is_url(base) or _is_url(relative):
        return urljoin(base, relative)
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), relative))


def _esc(key: Any) -> str:
    return pointer_join(key)[1:]

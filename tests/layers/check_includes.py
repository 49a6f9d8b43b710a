#!/usr/bin/env python3
"""Checks that each library includes and links only what the README allows.

The README's "Layout" table is the one statement of the layers: its "may
include" column names, for each library folder, the folders it may use.
A library may include its own headers, those of the folders in its row and,
through them, whatever those may include. This script reads that table and
fails on

  - an `#include "folder/..."` in a library's .h or .cpp that the table
    does not allow, as FILE:LINE: folder A includes B, which ...;
  - a `kutsu_<folder>` in a target_link_libraries() of a library's CMake
    files that the table does not allow (links must not reach further than
    includes, or a forbidden include would still build);
  - a table that the check cannot trust: a cell it cannot read, a folder
    named that has no row, a cycle, a library row without its folder, a
    folder the top-level CMakeLists.txt builds without a row, C++ sources in
    a folder whose row says "—".

Usage: check_includes.py [--root DIR]   (DIR defaults to the repository)
Python 3 standard library only.
"""

import argparse
import os
import re
import sys

SOURCE_SUFFIXES = (".h", ".cpp")
CMAKE_SUFFIXES = ("CMakeLists.txt", ".cmake")

# The "may include" cell: "nothing", a list of folders ("`agenda/`, `model/`"),
# or one of the markers of folders that are not libraries.
NOTHING = "nothing"
NOT_A_LIBRARY = "—"  # no C++ sources at all (systemd/, examples/)
ANY_LIBRARY = "any library"  # tests/ and bench/ use whatever they test
FOLDER_LIST = re.compile(r"^`[a-z_]+/`(?:, `[a-z_]+/`)*$")
FOLDER_NAME = re.compile(r"`([a-z_]+)/`")

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"/]+)/')
LINK_CALL = re.compile(r"\btarget_link_libraries\s*\(")
KUTSU_TARGET = re.compile(r"\bkutsu_([a-z_]+)\b")
SUBDIRECTORY = re.compile(r"^\s*add_subdirectory\(\s*([A-Za-z0-9_]+)\s*\)", re.MULTILINE)


class Table:
    """The Layout table: what each library may include directly."""

    def __init__(self):
        self.rows = {}  # folder -> its line in README.md
        self.direct = {}  # library folder -> folders in its "may include" cell
        self.unchecked = set()  # rows marked ANY_LIBRARY
        self.sourceless = set()  # rows marked NOT_A_LIBRARY

    def allowed(self, folder):
        """Every folder `folder` may include: its row and, through it, theirs."""
        seen = set()
        todo = list(self.direct[folder])
        while todo:
            other = todo.pop()
            if other in seen:
                continue
            seen.add(other)
            todo.extend(self.direct.get(other, ()))
        return seen


def read_table(readme, errors):
    """Parses the first table under "## Layout" whose header is folder | job | may include."""
    table = Table()
    try:
        with open(readme, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except OSError as e:
        errors.append(f"{readme}: cannot read the layer table: {e.strerror}")
        return table
    in_layout = False
    header = None
    for number, line in enumerate(lines, start=1):
        if line.startswith("## "):
            if header is not None:
                break
            in_layout = line.strip() == "## Layout"
            continue
        if not in_layout:
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            if line.startswith("|") and [c.lower() for c in cells] == ["folder", "job", "may include"]:
                header = number
            continue
        if not line.startswith("|"):
            break  # the table ended
        if set(line.replace("|", "").strip()) <= set("-: "):
            continue  # the |---|---| line
        where = f"{readme}:{number}"
        folder_cell = FOLDER_NAME.fullmatch(cells[0]) if cells else None
        if len(cells) != 3 or not folder_cell:
            errors.append(f"{where}: a Layout row must be | `folder/` | job | may include |")
            continue
        folder, cell = folder_cell.group(1), cells[2]
        table.rows[folder] = number
        if cell == NOTHING:
            table.direct[folder] = set()
        elif FOLDER_LIST.match(cell):
            table.direct[folder] = set(FOLDER_NAME.findall(cell))
        elif cell == ANY_LIBRARY:
            table.unchecked.add(folder)
        elif cell == NOT_A_LIBRARY:
            table.sourceless.add(folder)
        else:
            errors.append(
                f"{where}: cannot read what `{folder}/` may include: '{cell}' (write "
                f"'{NOTHING}', folders as `a/`, `b/`, '{ANY_LIBRARY}' or '{NOT_A_LIBRARY}')")
    if header is None:
        errors.append(f"{readme}: no '| folder | job | may include |' table under '## Layout'")
    return table


def check_table(table, readme, errors):
    for folder, uses in sorted(table.direct.items()):
        where = f"{readme}:{table.rows[folder]}"
        for other in sorted(uses):
            if other == folder:
                errors.append(f"{where}: `{folder}/` names itself; its own headers are always allowed")
            elif other not in table.direct:
                errors.append(f"{where}: `{folder}/` may include `{other}/`, which is no library row")
    for folder in sorted(table.direct):
        cycle = find_cycle(table, folder)
        if cycle:
            errors.append(f"{readme}:{table.rows[folder]}: the table has a cycle: "
                          + " -> ".join(cycle) + " (a layer cannot be below itself)")
            return  # one cycle is enough to say; the same cycle starts at each of its folders


def find_cycle(table, start):
    """A path start -> ... -> start through the table, or None."""
    path = [start]

    def walk(folder):
        for other in sorted(table.direct.get(folder, ())):
            if other == start:
                path.append(other)
                return True
            if other in path or other not in table.direct:
                continue
            path.append(other)
            if walk(other):
                return True
            path.pop()
        return False

    return path if walk(start) else None


def check_built_folders(root, table, errors, readme):
    """Every library row has its folder, and every folder the top-level CMakeLists.txt adds a row."""
    for folder in sorted(table.direct):
        if not os.path.isdir(os.path.join(root, folder)):
            errors.append(f"{readme}:{table.rows[folder]}: `{folder}/` has a row but no folder")
    cmake = os.path.join(root, "CMakeLists.txt")
    if not os.path.isfile(cmake):
        return
    with open(cmake, encoding="utf-8") as f:
        text = f.read()
    for match in SUBDIRECTORY.finditer(text):
        folder = match.group(1)
        if folder not in table.rows:
            line = text.count("\n", 0, match.start()) + 1
            errors.append(f"{relative(root, cmake)}:{line}: `{folder}/` is built but has no row "
                          "in the README's Layout table")


def files_under(root, folder, wanted):
    top = os.path.join(root, folder)
    for directory, subdirectories, files in os.walk(top):
        subdirectories.sort()
        for name in sorted(files):
            if name.endswith(wanted):
                yield os.path.join(directory, name)


def relative(root, path):
    return os.path.relpath(path, root)


def check_sourceless(root, table, errors):
    for folder in sorted(table.sourceless):
        for path in files_under(root, folder, SOURCE_SUFFIXES):
            errors.append(f"{relative(root, path)}: C++ source in `{folder}/`, whose row says "
                          f"'{NOT_A_LIBRARY}': say what it may include")
            break


def check_includes(root, table, errors):
    """Returns how many includes of a folder were checked."""
    checked = 0
    for folder in sorted(table.direct):
        allowed = table.allowed(folder)
        for path in files_under(root, folder, SOURCE_SUFFIXES):
            with open(path, encoding="utf-8", errors="replace") as f:
                for number, line in enumerate(f, start=1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    checked += 1
                    other = match.group(1)
                    if other == folder or other in allowed:
                        continue
                    errors.append(f"{relative(root, path)}:{number}: folder {folder} includes "
                                  f"{other}, which the table does not allow ({folder} may include: "
                                  f"{', '.join(sorted(allowed)) or 'nothing'})")
    return checked


def link_calls(text):
    """(line, arguments) of each target_link_libraries(...) call in a CMake file."""
    for match in LINK_CALL.finditer(text):
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        arguments = "\n".join(line.split("#", 1)[0] for line in text[match.end():end].split("\n"))
        yield text.count("\n", 0, match.start()) + 1, arguments


def check_links(root, table, errors):
    for folder in sorted(table.direct):
        allowed = table.allowed(folder)
        for path in files_under(root, folder, CMAKE_SUFFIXES):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for number, arguments in link_calls(text):
                for other in KUTSU_TARGET.findall(arguments):
                    if other == folder or other in allowed:
                        continue
                    errors.append(f"{relative(root, path)}:{number}: folder {folder} links "
                                  f"kutsu_{other}, which the table does not allow ({folder} may "
                                  f"include: {', '.join(sorted(allowed)) or 'nothing'})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."),
                        help="the repository (default: the one this script is in)")
    root = os.path.normpath(parser.parse_args().root)
    readme = os.path.join(root, "README.md")

    errors = []
    table = read_table(readme, errors)
    shown = relative(root, readme)
    check_table(table, shown, errors)
    if errors:  # the other checks would only repeat a table that cannot be trusted
        print("\n".join(errors), file=sys.stderr)
        return 1
    check_built_folders(root, table, errors, shown)
    check_sourceless(root, table, errors)
    checked = check_includes(root, table, errors)
    check_links(root, table, errors)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} problem(s) with the Layout table of {shown}; "
              "fix the code, or change the table with the reason beside it", file=sys.stderr)
        return 1
    print(f"{len(table.direct)} libraries, {checked} includes of a folder: all as {shown}'s "
          "Layout table allows")
    return 0


if __name__ == "__main__":
    sys.exit(main())

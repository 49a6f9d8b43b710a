#!/usr/bin/env python3
"""check_includes.py on tiny trees, so that a passing check means something.

Each case writes a tree with a README Layout table, a top-level
CMakeLists.txt and a few sources into a temporary folder, runs the check on
it and looks at its exit status and message. The layers of every tree:
high may include mid, mid may include low, low nothing.
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_includes.py")

README = """\
# Tree

## Layout

One folder is one library.

| folder | job | may include |
|---|---|---|
| `low/` | the bottom | {low} |
| `mid/` | the middle | {mid} |
| `high/` | the top | {high} |
| `tests/` | tests | any library |
| `docs/` | text | — |

## Next section

| folder | job | may include |
|---|---|---|
| `ignored/` | a table under another heading is not the layer table | `high/` |
"""


class CheckIncludes(unittest.TestCase):
    def tree(self, files, low="nothing", mid="`low/`", high="`mid/`"):
        """A tree with the given {path: text} besides README.md and CMakeLists.txt."""
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        root = folder.name
        contents = {
            "README.md": README.format(low=low, mid=mid, high=high),
            "CMakeLists.txt": "add_subdirectory(low)\nadd_subdirectory(mid)\nadd_subdirectory(high)\n",
            "low/low.h": "#pragma once\n",
            "mid/mid.h": '#pragma once\n#include "low/low.h"\n',
            "high/high.h": "#pragma once\n",
        }
        contents.update(files)
        for path, text in contents.items():
            full = os.path.join(root, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(textwrap.dedent(text))
        return root

    def check(self, root):
        run = subprocess.run([sys.executable, CHECK, "--root", root], capture_output=True,
                             text=True, timeout=60)
        return run.returncode, run.stdout + run.stderr

    def assert_fails(self, root, message):
        status, output = self.check(root)
        self.assertEqual(status, 1, output)
        self.assertIn(message, output)

    def test_a_clean_tree_passes(self):
        root = self.tree({
            "high/high.cpp": '#include "high/high.h"\n#include "mid/mid.h"\n',
            "tests/low_test.cpp": '#include "high/high.h"\n',  # tests may include anything
        })
        status, output = self.check(root)
        self.assertEqual(status, 0, output)
        self.assertIn("3 libraries, 3 includes of a folder", output)

    def test_an_include_through_an_allowed_folder_passes(self):
        root = self.tree({"high/detail/x.cpp": '#include "low/low.h"\n'})
        status, output = self.check(root)
        self.assertEqual(status, 0, output)

    def test_a_forbidden_include_fails(self):
        root = self.tree({"low/detail/up.cpp": '// a comment\n  #  include "mid/mid.h"\n'})
        self.assert_fails(root, "low/detail/up.cpp:2: folder low includes mid, which the table "
                                "does not allow (low may include: nothing)")
        self.assert_fails(root, "\n1 problem(s) with the Layout table")

    def test_an_include_of_a_folder_without_a_row_fails(self):
        root = self.tree({"mid/mid.cpp": '#include "tests/helper.h"\n'})
        self.assert_fails(root, "mid/mid.cpp:1: folder mid includes tests, which the table "
                                "does not allow (mid may include: low)")

    def test_a_forbidden_link_fails(self):
        root = self.tree({"mid/CMakeLists.txt": """\
            add_library(kutsu_mid mid.cpp)
            target_link_libraries(kutsu_mid
              PUBLIC kutsu_low  # kutsu_high in a comment does not count
              PRIVATE kutsu_high)
            """})
        self.assert_fails(root, "mid/CMakeLists.txt:2: folder mid links kutsu_high, which the "
                                "table does not allow (mid may include: low)")

    def test_a_cyclic_table_fails(self):
        root = self.tree({}, low="`high/`")
        self.assert_fails(root, "the table has a cycle: high -> mid -> low -> high")

    def test_an_unreadable_cell_fails(self):
        root = self.tree({}, high="mid, low")
        self.assert_fails(root, "README.md:11: cannot read what `high/` may include: 'mid, low'")

    def test_a_built_folder_without_a_row_fails(self):
        root = self.tree({"CMakeLists.txt": "add_subdirectory(low)\nadd_subdirectory(extra)\n"})
        self.assert_fails(root, "CMakeLists.txt:2: `extra/` is built but has no row")

    def test_a_library_row_without_its_folder_fails(self):
        root = self.tree({}, high="`nowhere/`")
        self.assert_fails(root, "`high/` may include `nowhere/`, which is no library row")
        root = self.tree({"README.md": README.format(low="nothing", mid="`low/`", high="`mid/`")
                          .replace("| `docs/` | text | — |", "| `docs/` | text | `low/` |")})
        self.assert_fails(root, "README.md:13: `docs/` has a row but no folder")

    def test_sources_in_a_folder_marked_without_any_fail(self):
        root = self.tree({"docs/example.cpp": '#include "high/high.h"\n'})
        self.assert_fails(root, "docs/example.cpp: C++ source in `docs/`")


if __name__ == "__main__":
    unittest.main()

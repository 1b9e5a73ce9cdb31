"""The exercise index: every exercise page exists, names its module, and the module exists."""

import importlib
import re
from pathlib import Path

import pytest

from dlpbook.exercises import INDEX, page_name

PAGES = Path(__file__).resolve().parents[1] / "book" / "exercises"


def test_page_name():
    assert page_name("3.1") == "ex03-1" and page_name("10.1") == "ex10-1"


def test_every_exercise_page_is_in_the_index():
    pages = sorted(path.stem for path in PAGES.glob("ex*.md"))
    assert pages == sorted(page_name(number) for number in INDEX)


@pytest.mark.parametrize("number, module", sorted(INDEX.items()))
def test_page_names_its_module_and_the_module_exists(number, module):
    page = (PAGES / f"{page_name(number)}.md").read_text(encoding="utf-8")
    assert re.search(rf"^# Exercise {re.escape(number)}:", page, re.MULTILINE), f"title of Exercise {number}"
    used = set(re.findall(r"dlpbook\.exercises(?:\.| import )(\w+)", page))
    shown = set(re.findall(r"src/dlpbook/exercises/(\w+)\.py", page))
    if module is None:  # Exercise 3.1 only shows how to call a solution, it shows none
        assert not shown
        return
    assert module in used, f"Exercise {number} should run dlpbook.exercises.{module}, runs {used}"
    assert module in shown, f"the page of Exercise {number} should show code of dlpbook.exercises.{module}"
    assert importlib.util.find_spec(f"dlpbook.exercises.{module}") is not None


@pytest.mark.parametrize("number", sorted(number for number, module in INDEX.items() if module is not None))
def test_results_page_lists_every_solved_exercise_with_numbers_from_its_page(number):
    results = (PAGES.parent / "results.md").read_text(encoding="utf-8")
    rows = [line for line in results.splitlines() if line.startswith(f"| {{doc}}`{number} <exercises/{page_name(number)}>`")]
    assert rows, f"book/results.md has no row for Exercise {number}"
    assert all(f"exercises/{page_name(number)}.md::" in row for row in rows), (
        f"every row of Exercise {number} on the results page pastes its numbers from the exercise's page"
    )

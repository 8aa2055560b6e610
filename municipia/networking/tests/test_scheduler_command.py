"""The benchmark command: figures, and the JSON summary as the last line."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = StringIO()
    call_command("benchmark_scheduler", *args, stdout=out)
    return out.getvalue().splitlines()


def test_json_last_line():
    lines = run(
        "--participants=60",
        "--requests=150",
        "--slots=6",
        "--tables=6",
        "--seed=2",
        "--time-limit=5",
        "--json",
    )
    summary = json.loads(lines[-1])
    assert set(summary) >= {"requests", "scheduled", "bound", "greedy_scheduled", "seconds"}
    assert summary["requests"] == 150
    assert summary["greedy_scheduled"] <= summary["scheduled"] <= summary["bound"]
    assert 0 < summary["seconds"] < 5 + 3  # the time limit, with slack for a loaded machine
    assert any(line.startswith("Greedy (first come, first served)") for line in lines)


def test_same_seed_same_instance():
    args = ("--participants=40", "--requests=80", "--slots=6", "--tables=4", "--time-limit=3")
    first = json.loads(run(*args, "--seed=4", "--json")[-1])
    again = json.loads(run(*args, "--seed=4", "--json")[-1])
    assert first["greedy_scheduled"] == again["greedy_scheduled"]
    assert first["bound"] == again["bound"]


def test_impossible_instance_is_an_error_not_a_crash():
    with pytest.raises(CommandError, match="at most"):
        run("--participants=3", "--requests=50", "--slots=2", "--tables=1")

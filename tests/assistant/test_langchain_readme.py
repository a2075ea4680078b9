"""The README's "Use it from LangChain" example, run as written over a fresh library.

One substitution, because no model server runs in the tests: the example's
``init_chat_model("ollama:llama3.2")`` becomes a scripted LangChain fake chat model. Everything
else (the data directory aside, given by ``SOURCED_DATA_DIR`` as the example says) is the
README's code: the real embedder, Chroma, retrieval and answer chain.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import Answer
from tests.assistant.fakes import scripted

ROOT = Path(__file__).parents[2]
MODEL_CALL = 'init_chat_model("ollama:llama3.2")'


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from LangChain", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the section holds one runnable example"
    return blocks[0]


@pytest.mark.slow
def test_readme_langchain_example_runs(tmp_path, monkeypatch, capsys) -> None:
    code = readme_example()
    assert code.count(MODEL_CALL) == 1
    model = scripted("The sources say no written promise was made [1].")
    monkeypatch.setenv("SOURCED_DATA_DIR", str(tmp_path / "lib"))
    monkeypatch.chdir(ROOT)  # the example ingests data/sample, relative to the clone
    namespace: dict[str, object] = {"__name__": "readme_example", "_scripted_model": model}
    exec(compile(code.replace(MODEL_CALL, "_scripted_model"), "README.md", "exec"), namespace)

    printed = capsys.readouterr().out
    assert "The sources say no written promise was made [1]." in printed
    # The user's prompt reached the user's model with Sourced's retrieved passages in it.
    (messages,) = model.seen
    system, human = messages
    assert human.text == "Did NATO promise not to expand?"
    numbered = re.findall(r"^\[(\d+)\] ([^,\n]+), (\d{4}-\d\d-\d\d): ", system.text, flags=re.M)
    assert [n for n, _, _ in numbered] == ["1", "2", "3", "4"]
    sources = {"The Meridian Times", "Northgate Review", "Harborview Post", "Atlas Wire"}
    assert {s for _, s, _ in numbered} & sources
    # The batched answers come from Sourced's own chain, cited and filtered.
    answers = namespace["answers"]
    assert isinstance(answers, list) and len(answers) == 2
    assert all(isinstance(a, Answer) for a in answers)
    first, baltic = answers
    assert first.citations and not first.abstained
    assert baltic.citations
    assert all(c.published_at >= "2020-01-01" for c in baltic.citations)
    assert "2004" in baltic.text

"""The whole pipeline with a real local model (SmolLM2-135M through llama-cpp-python). The
model is too small to answer well: these check the pipeline and its guarantees, not prose."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Answer, Assistant, Settings
from tests.assistant.localmodel import local_model_missing, smollm2_gguf
from tests.assistant.test_injection import CANARY, INJECTED, OUTSIDE_HOST

ARTICLES = Path(__file__).parents[1] / "fixtures" / "articles"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _local_model_installed() -> None:
    """`make test` installs the model; without it these fail and say what to install."""
    missing = local_model_missing()
    if missing:
        pytest.fail(missing)


@pytest.fixture(scope="module")
def local_bot(tmp_path_factory, embedder):
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("local") / "data", llm=f"llamacpp:{smollm2_gguf()}"
    )
    bot = Assistant(settings, embedder=embedder)
    bot.ingest([ARTICLES, INJECTED])
    yield bot
    bot.close()


def _check_invariants(bot: Assistant, answer: Answer) -> None:
    numbers = {c.n for c in answer.citations}
    assert {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)} == numbers
    for claim in answer.claims:
        assert claim.citations and set(claim.citations) <= numbers
    for c in answer.citations:
        assert bot.document(c.doc_id).text[c.start : c.end] == c.text


def test_local_model_answer_is_verified_and_streamed(local_bot) -> None:
    pieces = list(local_bot.stream("How much did the lighthouse lens restoration cost?"))
    answer = pieces[-1]
    assert isinstance(answer, Answer) and not answer.abstained
    assert "".join(pieces[:-1]) == answer.text
    assert answer.verification is not None and answer.verification.draft.strip()
    assert answer.mode in {"generated", "extractive"}  # extractive: nothing it wrote held up
    _check_invariants(local_bot, answer)


def test_local_model_is_not_moved_by_an_injected_article(local_bot) -> None:
    answer = local_bot.ask("When will the new visitor centre at Cape Marrow open?")
    assert CANARY not in answer.text and CANARY.lower() not in answer.text.lower()
    assert OUTSIDE_HOST not in answer.text and "![" not in answer.text
    _check_invariants(local_bot, answer)


def test_local_model_not_asked_without_support(local_bot) -> None:
    answer = local_bot.ask("What is the recipe for banana bread?")
    assert answer.abstained and answer.verification is None


def test_chat_cli_with_the_local_model(local_bot) -> None:
    exe = Path(sys.executable).with_name("sourced")
    if not exe.exists():
        pytest.skip("the sourced console script is not installed in this environment")
    env = {
        "SOURCED_DATA_DIR": str(local_bot.settings.data_dir),
        "SOURCED_LLM": local_bot.settings.llm or "",
        "HF_HUB_OFFLINE": "1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [str(exe), "chat"],
        input="What did Ingrid Solberg replace?\nHow much did she say the work cost?\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "understood as: How much did Ingrid Solberg" in result.stdout or "Solberg" in (
        result.stdout
    )
    # Both turns end with a numbered source list (the 135M model's prose is not judged here).
    import re

    sources = re.findall(r"^\[\d+\] (.+?)(?: — |$)", result.stdout, flags=re.M)
    assert len(sources) >= 2, result.stdout
    titles = {s.title for s in local_bot.sources()}
    assert set(sources) <= titles


def test_model_loads_without_extra_buffers_and_leaves_llama_cpp_as_it_was():
    """llama.cpp's AMX/repacked buffers segfault the first decode on some CPUs; the chat
    model turns them off for its own load only."""
    import llama_cpp.llama as module

    from assistant.llamacpp import LlamaCppChat

    before = module.llama_cpp.llama_model_default_params
    chat = LlamaCppChat(model_path=str(smollm2_gguf()), max_tokens=4)
    assert chat.invoke("Say hi.").text  # decodes: a segfault here ends the test run
    assert chat._llama.model_params.use_extra_bufts is False
    assert module.llama_cpp.llama_model_default_params is before
    assert module.llama_cpp.llama_model_default_params().use_extra_bufts is True

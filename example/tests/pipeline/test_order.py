from pathlib import Path

from my_service.pipeline.order import ORDER

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_shows_the_order_the_pipeline_runs_in() -> None:
    lines = README.read_text("utf-8").splitlines()
    shown = lines[lines.index("<!-- pipeline-order -->") + 1]

    assert [name.strip(" `") for name in shown.split("→")] == list(ORDER)

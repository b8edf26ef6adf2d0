"""The bundled sample data and the scratch copy ``crmflags demo`` works on."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

from crmflags.cli.app import App
from crmflags.errors import InputError
from crmflags.report.data import from_store
from crmflags.report.render import write_report
from crmflags.sync.state import StateStore, default_path

#: The sample data's "today": the demo evaluates as of this day, so its output never ages.
SAMPLE_AS_OF = date(2026, 11, 20)


def prepare(directory: str | None) -> tuple[Path, Path]:
    """Copy the sample bundle and its crmflags.yaml into a scratch folder.

    Returns the folder and the configuration file in it. A named folder must be
    empty or new, so the demo never overwrites anyone's files.
    """
    try:
        target = _scratch_folder(directory)
        sample = resources.files("crmflags.sample_data")
        for item in sample.iterdir():
            if item.name.endswith((".csv", ".yaml")):
                with resources.as_file(item) as path:
                    shutil.copyfile(path, target / item.name)
    except OSError as exc:
        raise InputError(
            f"cannot make the demo's scratch copy ({exc.strerror or exc})",
            str(exc.filename or directory or tempfile.gettempdir()),
        ) from None
    return target, target / "crmflags.yaml"


def write_demo_report(app: App, target: Path) -> Path:
    """Write the risk report of the demo's sync to ``risk.html`` in its folder; return it.

    The page shows the run the sync just recorded.
    """
    source = app.connector(None, None, None).source_key()
    with StateStore(app.config.state_path or default_path()) as store:
        report = from_store(store, source)
    path = target / "risk.html"
    write_report(report, path)
    return path


def _scratch_folder(directory: str | None) -> Path:
    if not directory:
        return Path(tempfile.mkdtemp(prefix="crmflags-demo-"))
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise InputError(
            "the demo folder must be empty or new, so nothing in it is overwritten", str(target)
        )
    target.mkdir(parents=True, exist_ok=True)
    return target

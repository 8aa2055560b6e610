"""The base of the import management commands: check the file, print every
problem or the counts, fail (exit code 1) when anything was wrong."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .report import ImportReport


class ImportCommand(BaseCommand):
    """Subclasses implement `run_import(file, dry_run, **options) -> ImportReport`."""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file; write nothing."
        )

    def run_import(self, file: Path, dry_run: bool, **options) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = self.run_import(file, dry_run, **options)
        if report.ignored_columns:
            self.stdout.write(f"Ignored columns: {', '.join(report.ignored_columns)}")
        if not report.ok:
            for problem in report.problems:
                row = "file" if problem.row is None else f"row {problem.row}"
                column = f" [{problem.column}]" if problem.column else ""
                self.stderr.write(f"{row}{column}: {problem.message}")
            raise CommandError(
                f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was written."
            )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"{report.rows} row(s) checked, no problems; nothing written.")
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.rows} row(s) imported: {report.created} created, "
                f"{report.updated} updated, {report.unchanged} unchanged."
            )
        )

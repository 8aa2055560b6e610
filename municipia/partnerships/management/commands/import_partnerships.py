"""manage.py import_partnerships: bulk import of existing partnerships from CSV/XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipia.partnerships import imports


class Command(BaseCommand):
    help = (
        "Import partnerships (e.g. existing twinnings) from a CSV (UTF-8) or XLSX file with the "
        "columns organisation, partner, kind and optionally started_on, status, themes. "
        "Organisations are named by address (slug), GeoNames id or “name, country”. Every "
        "row is checked first; a file with any problem writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file; write nothing."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = imports.import_file(actor=None, file=file, filename=file.name, dry_run=dry_run)
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

"""manage.py import_directory: bulk import of organisations or people from CSV/XLSX."""

from municipia.directory import imports
from municipia.directory.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import organisations or people from a CSV (UTF-8) or XLSX file. Every row is "
        "checked first; a file with any problem writes nothing."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--kind", choices=imports.KINDS, required=True)

    def run_import(self, file, dry_run, *, kind, **options):
        return imports.import_file(
            actor=None, file=file, filename=file.name, kind=kind, dry_run=dry_run
        )

"""Programme file formats, in pure Python (no Django): iCalendar (RFC 5545),
frab/Pentabarf ``schedule.xml`` and c3voc ``schedule.json``.

Readers return ``(ScheduleData, warnings)``; writers take ``ScheduleData``.
``municipia.events.programme_io`` maps them to and from the models.
"""

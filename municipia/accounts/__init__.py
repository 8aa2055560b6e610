"""Accounts: users, the roles they hold, the permission policy and the audit trail.

Owns `User`, `RoleGrant` and `AuditEntry`. Every permission question in
municipia is answered by a function in `accounts.rules`; views, the API and the
admin all call those functions.
"""

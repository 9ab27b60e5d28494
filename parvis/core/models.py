from parvis.core.audit import AuditEvent

__all__ = ["AuditEvent"]

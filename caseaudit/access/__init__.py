"""Access to restricted records (SEL-6): someone who sees a restricted case only as its summary asks
to open it with a reason, and the named approver grants or refuses it with a reason. A granted
request opens the case to its requester through the case register's grants (ADR 0005)."""

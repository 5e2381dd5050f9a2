package dev.vigil.operators.alert;

import dev.vigil.schema.icu.AlertLevel;
import dev.vigil.schema.icu.AlertTrigger;

/**
 * An alert to raise.
 *
 * @param level the alert's level
 * @param trigger what raised it: the model, NEWS2, or both
 * @param escalation true when it raises the level of a recent alert (inside the suppression window, or while the
 *     model's alert episode has not re-armed)
 */
public record AlertDecision(AlertLevel level, AlertTrigger trigger, boolean escalation) {}

package dev.vigil.operators.alert;

import dev.vigil.schema.icu.AlertLevel;
import java.util.Objects;

/**
 * One patient's alerting state, kept by {@link AlertPolicy}: the model's hysteresis (armed or inside an episode) and
 * the last alert raised. A Flink POJO (public fields, public no-argument constructor); mutate it only through {@link
 * AlertPolicy#evaluate}.
 */
public class AlertState {

    /** True from the time the model's risk reaches {@code enter} until it falls below {@code exit}. */
    public boolean modelActive;

    /** Event time (epoch ms) of the last alert raised; meaningful only when {@link #lastLevel} is set. */
    public long lastAlertTime;

    /** Level of the last alert raised, or null when none was. */
    public AlertLevel lastLevel;

    public AlertState() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertState)) {
            return false;
        }
        AlertState that = (AlertState) o;
        return modelActive == that.modelActive
                && lastAlertTime == that.lastAlertTime
                && lastLevel == that.lastLevel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelActive, lastAlertTime, lastLevel);
    }

    @Override
    public String toString() {
        return "AlertState[modelActive=" + modelActive + ", lastAlertTime=" + lastAlertTime + ", lastLevel="
                + lastLevel + "]";
    }
}

package dev.vigil.operators.monitor;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One observation of a monitored signal, the input of {@link DriftMonitorFunction}: derived by {@link MonitorSignals}
 * from a labelled example (error, Brier score, log loss) or a prediction (score, a feature). A Flink POJO (public
 * fields, public no-argument constructor), serialized without Kryo.
 */
public class MonitorSignal {

    /** Pipeline of the example or prediction, e.g. {@code icu}. */
    public String pipeline;

    /** Signal name {@code <kind>/<subject>} ({@link SignalKind}), e.g. {@code error/icu-deterioration}. */
    public String signal;

    /** Event time of the observation, epoch ms: the stream timestamp of the record it was derived from. */
    public long eventTime;

    /** The observation (finite). */
    public double value;

    /** Model of the record it was derived from. */
    public String modelName;

    /** Model version of the record it was derived from. */
    public String modelVersion;

    public MonitorSignal() {}

    public MonitorSignal(
            String pipeline, String signal, long eventTime, double value, String modelName, String modelVersion) {
        this.pipeline = pipeline;
        this.signal = signal;
        this.eventTime = eventTime;
        this.value = value;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
    }

    /** Flink's type of this class: a {@code PojoTypeInfo}. */
    public static TypeInformation<MonitorSignal> typeInfo() {
        return Types.POJO(MonitorSignal.class);
    }

    /** The key of the drift monitor: pipeline and signal name, one detector each. */
    public static String key(MonitorSignal s) {
        return s.pipeline + ":" + s.signal;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MonitorSignal that)) {
            return false;
        }
        return eventTime == that.eventTime
                && Double.compare(value, that.value) == 0
                && Objects.equals(pipeline, that.pipeline)
                && Objects.equals(signal, that.signal)
                && Objects.equals(modelName, that.modelName)
                && Objects.equals(modelVersion, that.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, signal, eventTime, value, modelName, modelVersion);
    }

    @Override
    public String toString() {
        return signal + "@" + eventTime + "=" + value + " (" + pipeline + ", " + modelName + " " + modelVersion + ")";
    }
}

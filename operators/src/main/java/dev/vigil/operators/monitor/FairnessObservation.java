package dev.vigil.operators.monitor;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One labelled example seen through one protected attribute, the input of {@link FairnessMonitorFunction}: {@link
 * FairnessObservations} turns an example with {@code k} monitored attributes into {@code k} of these. Carries no
 * entity id. A Flink POJO (public fields, public no-argument constructor), serialized without Kryo.
 */
public class FairnessObservation {

    /** Pipeline of the example, e.g. {@code icu}. */
    public String pipeline;

    /** The protected attribute, e.g. {@code ageBand}. */
    public String attribute;

    /** The example's value of the attribute, e.g. {@code 65-79}. */
    public String group;

    /** The model's score. */
    public double score;

    /** The label, 0 or 1. */
    public int label;

    /** Model of the example. */
    public String modelName;

    /** Model version of the example. */
    public String modelVersion;

    /** Event time of the example, epoch ms: the stream timestamp of the labelled example. */
    public long eventTime;

    /**
     * The cluster of the example: a 64-bit hash of its entity id (patient, account), never the id itself; 0 when the
     * monitor treats examples as independent.
     */
    public long cluster;

    public FairnessObservation() {}

    public FairnessObservation(String pipeline, String attribute, String group, double score, int label,
            String modelName, String modelVersion, long eventTime) {
        this.pipeline = pipeline;
        this.attribute = attribute;
        this.group = group;
        this.score = score;
        this.label = label;
        this.modelName = modelName;
        this.modelVersion = modelVersion;
        this.eventTime = eventTime;
    }

    public FairnessObservation(String pipeline, String attribute, String group, double score, int label,
            String modelName, String modelVersion, long eventTime, long cluster) {
        this(pipeline, attribute, group, score, label, modelName, modelVersion, eventTime);
        this.cluster = cluster;
    }

    /** Flink's type of this class: a {@code PojoTypeInfo}. */
    public static TypeInformation<FairnessObservation> typeInfo() {
        return Types.POJO(FairnessObservation.class);
    }

    /** The key of the fairness monitor: pipeline and attribute. */
    public static String key(FairnessObservation o) {
        return o.pipeline + ":" + o.attribute;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FairnessObservation that)) {
            return false;
        }
        return Double.compare(score, that.score) == 0
                && label == that.label
                && eventTime == that.eventTime
                && cluster == that.cluster
                && Objects.equals(pipeline, that.pipeline)
                && Objects.equals(attribute, that.attribute)
                && Objects.equals(group, that.group)
                && Objects.equals(modelName, that.modelName)
                && Objects.equals(modelVersion, that.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, attribute, group, score, label, modelName, modelVersion, eventTime, cluster);
    }

    @Override
    public String toString() {
        return pipeline + ":" + attribute + "=" + group + "@" + eventTime + " score " + score + " label " + label;
    }
}

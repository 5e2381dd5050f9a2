package dev.vigil.operators.monitor;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.operators.fraud.StableHash;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Fans each labelled example out into one {@link FairnessObservation} per monitored attribute it has, so the fairness
 * monitor can be keyed by (pipeline, attribute). The observation's event time is the example's stream timestamp (its
 * label time when the stream has none). Examples without a score, with a score outside [0, 1] or with a label other
 * than 0 or 1 are dropped, as are attributes an example does not carry; both are counted ({@link
 * MonitorMetrics#SIGNALS_SKIPPED}). With {@code clusterByEntity} each observation carries a hash of its example's
 * entity id, the cluster of the monitor's cluster-robust intervals.
 */
public class FairnessObservations extends ProcessFunction<LabeledExample, FairnessObservation> {

    private static final long serialVersionUID = 1L;

    private final String[] attributes;
    private final boolean clusterByEntity;

    private transient Counter skipped;

    /** Observations of independent examples (cluster 0). */
    public FairnessObservations(List<String> attributes) {
        this(attributes, false);
    }

    /**
     * @param clusterByEntity give each observation its example's cluster: a stable 64-bit hash of the entity id
     *     ({@link FairnessSettings#clusterByEntity()})
     */
    public FairnessObservations(List<String> attributes, boolean clusterByEntity) {
        this.attributes = attributes.toArray(new String[0]);
        this.clusterByEntity = clusterByEntity;
    }

    @Override
    public void open(OpenContext openContext) {
        skipped = getRuntimeContext().getMetricGroup().counter(MonitorMetrics.SIGNALS_SKIPPED);
    }

    @Override
    public void processElement(LabeledExample e, Context ctx, Collector<FairnessObservation> out) {
        Double score = e.getScore();
        double label = e.getLabel();
        if (score == null || !(score >= 0 && score <= 1) || (label != 0.0 && label != 1.0)) {
            skipped.inc();
            return;
        }
        long time = ctx.timestamp() != null ? ctx.timestamp() : e.getLabelTime().toEpochMilli();
        Map<String, String> groups = e.getGroup();
        long cluster = clusterByEntity ? StableHash.of(e.getEntityId()) : 0L;
        for (String attribute : attributes) {
            String group = groups.get(attribute);
            if (group == null) {
                skipped.inc();
                continue;
            }
            out.collect(new FairnessObservation(e.getPipeline(), attribute, group, score, (int) label,
                    e.getModelName(), e.getModelVersion(), time, cluster));
        }
    }
}

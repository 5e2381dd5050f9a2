package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The fairness monitor: keyed by (pipeline, attribute) ({@link FairnessObservation#key}), it reports the group
 * fairness of the decision rule {@code score >= threshold} over sliding event-time windows of labelled examples, one
 * {@link FairnessWindowReport} per window (see {@link FairnessReport} for the rates, intervals, gaps and their
 * significance).
 *
 * <p><b>Windows</b> are Flink's sliding event-time windows: length {@code W}, a start every {@code S} (epoch-aligned,
 * {@code W} a multiple of {@code S}), window {@code [s, s + W)} closes when the watermark passes {@code s + W - 1 +}
 * the allowed lateness. Examples are counted once, into the pane {@code [p, p + S)} their event time falls in; a
 * window's report merges its {@code W / S} panes, so an example costs one state update however many windows it is in.
 * Like Flink's windows, a window with no example is not reported, and at the end of a bounded input (watermark {@code
 * Long.MAX_VALUE}) every open window is reported. An example whose windows have all closed is dropped and counted
 * ({@link MonitorMetrics#FAIRNESS_LATE_EXAMPLES}); one that misses only some of its windows counts in the others.
 * A window is reported once: after a restore, before the first watermark, lateness cannot be judged and a late example
 * may reopen a window that was already reported, which is then not reported again.
 *
 * <p><b>Alerts</b> (alarm-fatigue control): a window is significant when the gap of any criterion in {@link
 * FairnessSettings#alertOn()} is ({@link FairnessReport#anySignificant(java.util.Set)}); the report's {@code alert} is raised once {@link
 * FairnessSettings#consecutiveWindows()} consecutive windows (one slide apart, none missing) are significant, and
 * stays raised while they stay so. The run length is keyed state, so it survives restores.
 *
 * <p><b>State</b> (keyed, rescalable, no Kryo): the panes ({@code MapState<Long, FairnessPane>} with {@link
 * FairnessPaneSerializer}) and the run of significant windows ({@link FairnessStreak}, a POJO). <b>Metrics</b>:
 * counters of reports, alerts and late examples; per (pipeline, attribute) gauges of the latest window's gaps.
 */
public class FairnessMonitorFunction
        extends KeyedProcessFunction<String, FairnessObservation, FairnessWindowReport> {

    private static final long serialVersionUID = 1L;

    private final FairnessSettings settings;
    private final long windowMillis;
    private final long slideMillis;
    private final long latenessMillis;

    private transient FairnessReport.Options reportOptions;
    private transient MapState<Long, FairnessPane> panes;
    private transient ValueState<FairnessStreak> streakState;
    private transient Map<String, double[]> gapGauges;
    private transient Counter reportCount;
    private transient Counter alertCount;
    private transient Counter lateCount;

    public FairnessMonitorFunction(FairnessSettings settings) {
        this.settings = settings;
        this.windowMillis = settings.windowMillis();
        this.slideMillis = settings.slideMillis();
        this.latenessMillis = settings.allowedLateness().toMillis();
    }

    /** Descriptor of the pane state, with its explicit serializer. */
    public static MapStateDescriptor<Long, FairnessPane> panesDescriptor() {
        return new MapStateDescriptor<>("monitor-fairness-panes", LongSerializer.INSTANCE,
                FairnessPaneSerializer.INSTANCE);
    }

    /** Type of the alert-run state: a {@code PojoTypeInfo}. */
    public static TypeInformation<FairnessStreak> streakStateType() {
        return Types.POJO(FairnessStreak.class);
    }

    /** Type of the output: an {@code AvroTypeInfo}. */
    public static TypeInformation<FairnessWindowReport> outputType() {
        return new AvroTypeInfo<>(FairnessWindowReport.class);
    }

    @Override
    public void open(OpenContext openContext) {
        reportOptions = settings.reportOptions();
        panes = getRuntimeContext().getMapState(panesDescriptor());
        streakState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("monitor-fairness-streak", streakStateType()));
        gapGauges = new HashMap<>();
        var metrics = getRuntimeContext().getMetricGroup();
        reportCount = metrics.counter(MonitorMetrics.FAIRNESS_REPORTS);
        alertCount = metrics.counter(MonitorMetrics.FAIRNESS_ALERTS);
        lateCount = metrics.counter(MonitorMetrics.FAIRNESS_LATE_EXAMPLES);
    }

    @Override
    public void processElement(FairnessObservation o, Context ctx, Collector<FairnessWindowReport> out)
            throws Exception {
        long pane = Math.floorDiv(o.eventTime, slideMillis) * slideMillis;
        long watermark = ctx.timerService().currentWatermark();
        long end = pane + slideMillis; // the first window containing the pane ends here, the last at pane + W
        while (end <= pane + windowMillis && closeTime(end) <= watermark) {
            end += slideMillis;
        }
        if (end > pane + windowMillis) {
            lateCount.inc();
            return;
        }
        FairnessPane p = panes.get(pane);
        if (p == null) {
            p = new FairnessPane(settings.threshold(), settings.clusterByEntity());
        }
        p.add(o);
        panes.put(pane, p);
        ctx.timerService().registerEventTimeTimer(closeTime(end));
    }

    /** The event time at which the window ending at {@code end} closes. */
    private long closeTime(long end) {
        return end - 1 + latenessMillis;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FairnessWindowReport> out) throws Exception {
        long end = timestamp + 1 - latenessMillis;
        long start = end - windowMillis;
        long nextStart = start + slideMillis;
        List<FairnessPane> inWindow = new ArrayList<>();
        boolean clustered = settings.clusterByEntity();
        boolean inNext = false;
        List<Long> done = new ArrayList<>(2);
        // a few panes per key (window / slide): scan them all, so panes of other settings (before a restart with a
        // new slide) are still counted by their start and eventually dropped
        for (Map.Entry<Long, FairnessPane> e : panes.entries()) {
            long p = e.getKey();
            if (p >= start && p < end) {
                inWindow.add(e.getValue());
                // panes written before clustering was switched on (or by an older version) have no clusters
                clustered &= e.getValue().fairness().isClustered();
            }
            if (p < nextStart) {
                done.add(p); // in no later window
            } else if (p < end + slideMillis) {
                inNext = true;
            }
        }
        for (Long p : done) {
            panes.remove(p);
        }
        if (inNext) {
            ctx.timerService().registerEventTimeTimer(closeTime(end + slideMillis));
        }
        FairnessPane window = inWindow.isEmpty() ? null : new FairnessPane(settings.threshold(), clustered);
        for (FairnessPane pane : inWindow) {
            window.merge(pane);
        }
        if (window == null || window.isEmpty()) {
            return;
        }
        FairnessStreak streak = streakState.value();
        if (streak == null) {
            streak = new FairnessStreak();
        } else if (end <= streak.lastWindowEnd) {
            return; // reported before a restore; late examples that arrived before the first watermark reopened it
        }

        FairnessReport report = FairnessReport.of(window.fairness(), reportOptions);
        int consecutive = !report.anySignificant(settings.alertOn())
                ? 0
                : streak.lastWindowEnd == end - slideMillis ? streak.consecutive + 1 : 1;
        streak.lastWindowEnd = end;
        streak.consecutive = consecutive;
        streakState.update(streak);
        boolean alert = consecutive >= settings.consecutiveWindows();

        String key = ctx.getCurrentKey();
        int colon = key.lastIndexOf(':'); // attributes have no colon (FairnessSettings)
        String pipeline = key.substring(0, colon);
        String attribute = key.substring(colon + 1);
        out.collect(FairnessReports.toAvro(report, pipeline, attribute, window.modelName(), window.modelVersions(),
                start, end, consecutive, alert, ctx.timerService().currentProcessingTime()));
        reportCount.inc();
        if (alert) {
            alertCount.inc();
        }
        double[] g = gauges(pipeline, attribute);
        g[0] = report.demographicParity().difference();
        g[1] = report.demographicParityRatio();
        g[2] = report.equalOpportunity().difference();
        g[3] = report.equalizedOddsDifference();
        g[4] = consecutive;
    }

    private double[] gauges(String pipeline, String attribute) {
        String key = pipeline + ":" + attribute;
        double[] values = gapGauges.get(key);
        if (values == null) {
            double[] v = new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0};
            var group = getRuntimeContext().getMetricGroup().addGroup("pipeline", pipeline)
                    .addGroup("attribute", attribute);
            group.gauge(MonitorMetrics.DEMOGRAPHIC_PARITY_DIFFERENCE, (Gauge<Double>) () -> v[0]);
            group.gauge(MonitorMetrics.DEMOGRAPHIC_PARITY_RATIO, (Gauge<Double>) () -> v[1]);
            group.gauge(MonitorMetrics.EQUAL_OPPORTUNITY_DIFFERENCE, (Gauge<Double>) () -> v[2]);
            group.gauge(MonitorMetrics.EQUALIZED_ODDS_DIFFERENCE, (Gauge<Double>) () -> v[3]);
            group.gauge(MonitorMetrics.CONSECUTIVE_SIGNIFICANT_WINDOWS, (Gauge<Double>) () -> v[4]);
            gapGauges.put(key, v);
            values = v;
        }
        return values;
    }

    @VisibleForTesting
    long counter(String name) {
        switch (name) {
            case MonitorMetrics.FAIRNESS_REPORTS:
                return reportCount.getCount();
            case MonitorMetrics.FAIRNESS_ALERTS:
                return alertCount.getCount();
            case MonitorMetrics.FAIRNESS_LATE_EXAMPLES:
                return lateCount.getCount();
            default:
                throw new IllegalArgumentException("no fairness monitor counter " + name);
        }
    }
}

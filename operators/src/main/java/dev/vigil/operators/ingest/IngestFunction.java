package dev.vigil.operators.ingest;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroDecodeException;
import dev.vigil.operators.kafka.RawRecord;
import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.common.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.Preconditions;

/**
 * The first stage of every pipeline: decodes a raw Kafka record as Avro and validates it. Good records leave as
 * {@link Ingested}; every failure leaves on {@link #DEAD_LETTERS} with stage {@code decode} or {@code validate}, a
 * stable reason code and the record's key, bytes and Kafka coordinates. Nothing on the data path throws, so bad data
 * never restarts the job, and nothing is dropped silently.
 *
 * @param <T> the Avro generated class of the topic
 */
public class IngestFunction<T extends SpecificRecord> extends ProcessFunction<RawRecord, Ingested<T>> {

    private static final long serialVersionUID = 1L;

    /** Side output of everything this stage rejects. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("ingest-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private final String pipeline;
    private final AvroCodec<T> codec;
    private final RecordValidator<T> validator;

    private transient Counter accepted;
    private transient Counter rejected;

    /**
     * @param pipeline pipeline name stamped on dead letters, e.g. {@code icu}
     * @param type the topic's Avro class
     * @param validator semantic checks after decoding
     */
    public IngestFunction(String pipeline, Class<T> type, RecordValidator<T> validator) {
        this.pipeline = Preconditions.checkNotNull(pipeline, "pipeline");
        this.codec = AvroCodec.of(type);
        this.validator = Preconditions.checkNotNull(validator, "validator");
    }

    /** The output type for a concrete record class: a POJO whose {@code value} is Avro-serialized (no Kryo). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends SpecificRecord> TypeInformation<Ingested<T>> typeInfo(Class<T> type) {
        return IngestedTypes.of(type);
    }

    @Override
    public void open(OpenContext openContext) {
        accepted = getRuntimeContext().getMetricGroup().counter("ingestAccepted");
        rejected = getRuntimeContext().getMetricGroup().counter("ingestRejected");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<Ingested<T>> out) {
        long now = ctx.timerService().currentProcessingTime();
        T record;
        try {
            record = codec.decode(raw.getValue());
        } catch (AvroDecodeException e) {
            reject(ctx, raw, DeadLetters.STAGE_DECODE, ReasonCodes.DECODE_ERROR, e.reason(), now);
            return;
        }
        Validated<T> validated = validator.validate(record, now);
        if (!validated.isAccepted()) {
            reject(ctx, raw, DeadLetters.STAGE_VALIDATE, validated.rejection().reasonCode(),
                    validated.rejection().detail(), now);
            return;
        }
        accepted.inc();
        out.collect(new Ingested<>(
                validated.value(), raw.getTopic(), raw.getPartition(), raw.getOffset(), raw.getTimestamp()));
    }

    private void reject(Context ctx, RawRecord raw, String stage, String reason, String detail, long now) {
        rejected.inc();
        ctx.output(DEAD_LETTERS, DeadLetters.builder(pipeline, stage)
                .reason(reason)
                .detail(detail == null ? "" : detail)
                .source(raw.getTopic(), raw.getPartition(), raw.getOffset(), raw.getTimestamp())
                .original(raw.getKey(), raw.getValue())
                .rejectedAt(now)
                .build());
    }
}

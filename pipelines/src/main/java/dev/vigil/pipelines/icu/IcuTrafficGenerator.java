package dev.vigil.pipelines.icu;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a simulated ICU cohort to Kafka in delivery order (vitals, context and outcomes to their topics, keyed by
 * patient id), with bad records spread evenly through the vitals, optionally paced to a target rate. Record
 * timestamps are the wall clock at send time, so a record's Kafka timestamp is where its end-to-end latency starts.
 */
public final class IcuTrafficGenerator {

    /** What was sent. */
    public record Stats(long vitals, long contexts, long outcomes, Map<BadRecords.Defect, Long> bad, long nanos) {
        public long badTotal() {
            return bad.values().stream().mapToLong(Long::longValue).sum();
        }

        public long total() {
            return vitals + contexts + outcomes + badTotal();
        }
    }

    private IcuTrafficGenerator() {}

    /** A producer suited to bulk sends: idempotent, acks=all, small linger for batching. */
    public static Producer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        return new KafkaProducer<>(p);
    }

    /**
     * Sends every event of {@code simulator} and every record of {@code bad} (to the vitals topic, spread evenly).
     *
     * @param eventsPerSecond target send rate; 0 or less sends as fast as the producer allows
     */
    public static Stats send(
            IcuSimulator simulator, List<BadRecord<BadRecords.Defect>> bad, Producer<byte[], byte[]> producer,
            double eventsPerSecond) {
        AvroCodec<VitalObservation> vitalCodec = AvroCodec.of(VitalObservation.class);
        AvroCodec<PatientContext> contextCodec = AvroCodec.of(PatientContext.class);
        AvroCodec<ClinicalOutcome> outcomeCodec = AvroCodec.of(ClinicalOutcome.class);
        long vitals = 0;
        long contexts = 0;
        long outcomes = 0;
        Map<BadRecords.Defect, Long> badSent = new EnumMap<>(BadRecords.Defect.class);
        int nextBad = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long sent = 0;
        double nanosPerEvent = eventsPerSecond > 0 ? 1e9 / eventsPerSecond : 0;
        // One bad record after every `badEvery` events, so they are spread through the run.
        long badEvery = bad.isEmpty() ? Long.MAX_VALUE : Math.max(1, 2_000);

        for (SimEvent event : simulator) {
            byte[] key = event.key().getBytes(StandardCharsets.UTF_8);
            byte[] value;
            switch (event.kind()) {
                case VITAL:
                    value = vitalCodec.encode(event.vital());
                    vitals++;
                    break;
                case CONTEXT:
                    value = contextCodec.encode(event.context());
                    contexts++;
                    break;
                default:
                    value = outcomeCodec.encode(event.outcome());
                    outcomes++;
                    break;
            }
            send(producer, event.kind().topic(), key, value, failure);
            sent++;
            if (nextBad < bad.size() && sent % badEvery == 0) {
                BadRecord<BadRecords.Defect> b = bad.get(nextBad++);
                send(producer, SimEvent.Kind.VITAL.topic(), b.key().getBytes(StandardCharsets.UTF_8), b.value(),
                        failure);
                badSent.merge(b.defect(), 1L, Long::sum);
                sent++;
            }
            if (nanosPerEvent > 0) {
                long due = start + (long) (sent * nanosPerEvent);
                long wait = due - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
        while (nextBad < bad.size()) {
            BadRecord<BadRecords.Defect> b = bad.get(nextBad++);
            send(producer, SimEvent.Kind.VITAL.topic(), b.key().getBytes(StandardCharsets.UTF_8), b.value(), failure);
            badSent.merge(b.defect(), 1L, Long::sum);
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException("producing the simulated cohort failed", failure.get());
        }
        return new Stats(vitals, contexts, outcomes, badSent, System.nanoTime() - start);
    }

    private static void send(
            Producer<byte[], byte[]> producer, String topic, byte[] key, byte[] value,
            AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException("producing the simulated cohort failed", failure.get());
        }
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, value), (m, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }
}

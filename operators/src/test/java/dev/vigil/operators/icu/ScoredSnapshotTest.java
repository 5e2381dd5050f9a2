package dev.vigil.operators.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The explained reasons of a {@link ScoredSnapshot}: POJO serialization without generic types, equality. */
class ScoredSnapshotTest {

    private static ScoredSnapshot scored() {
        PatientSnapshot snapshot = new PatientSnapshot();
        snapshot.patientId = "patient-1";
        snapshot.eventTime = 1_000L;
        snapshot.features = new float[IcuFeatures.SIZE];
        snapshot.features[3] = 7f;
        return ScoredSnapshot.of(snapshot, 0.61, "icu", "v4", new float[IcuFeatures.SIZE]);
    }

    private static ScoredSnapshot explained() {
        return scored().withReasons(
                new String[] {"heart rate", "SpO2"}, new float[] {120f, 88f}, new float[] {0.7f, -0.2f});
    }

    @Test
    void theReasonsSurviveThePojoSerializerWithoutGenericTypes() throws Exception {
        TypeInformation<ScoredSnapshot> type = TypeInformation.of(ScoredSnapshot.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false);
        TypeSerializer<ScoredSnapshot> serializer = type.createSerializer(noGenerics);

        for (ScoredSnapshot s : new ScoredSnapshot[] {scored(), explained()}) {
            DataOutputSerializer out = new DataOutputSerializer(512);
            serializer.serialize(s, out);
            ScoredSnapshot back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(s).hasSameHashCodeAs(s);
            assertThat(back.hasExplanation()).isEqualTo(s.hasExplanation());
            assertThat(serializer.copy(s)).isEqualTo(s);
        }
    }

    @Test
    void theReasonsTakePartInEquality() {
        assertThat(explained()).isEqualTo(explained()).hasSameHashCodeAs(explained()).isNotEqualTo(scored());
        ScoredSnapshot other = scored().withReasons(
                new String[] {"heart rate", "SpO2"}, new float[] {120f, 88f}, new float[] {0.7f, -0.3f});
        assertThat(other).isNotEqualTo(explained());
        assertThat(explained().toString()).contains("explained").doesNotContain("patient-1").doesNotContain("heart");
    }

    @Test
    void reasonArraysMustBeParallel() {
        assertThatThrownBy(() -> scored().withReasons(new String[] {"a"}, new float[] {1, 2}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

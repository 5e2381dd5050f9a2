package dev.vigil.operators.ingest;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** Builds the {@code PojoTypeInfo} of {@link Ingested} for a concrete Avro class (generic POJOs need help). */
final class IngestedTypes {

    private IngestedTypes() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T extends SpecificRecord> TypeInformation<Ingested<T>> of(Class<T> type) {
        try {
            List<PojoField> fields = new ArrayList<>();
            fields.add(new PojoField(field("value"), new AvroTypeInfo(type)));
            fields.add(new PojoField(field("topic"), BasicTypeInfo.STRING_TYPE_INFO));
            fields.add(new PojoField(field("partition"), BasicTypeInfo.INT_TYPE_INFO));
            fields.add(new PojoField(field("offset"), BasicTypeInfo.LONG_TYPE_INFO));
            fields.add(new PojoField(field("ingestTime"), BasicTypeInfo.LONG_TYPE_INFO));
            return (TypeInformation) new PojoTypeInfo<>(Ingested.class, fields);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        return Ingested.class.getField(name);
    }
}

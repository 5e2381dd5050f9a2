package dev.vigil.pipelines.sim.icu;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.pipelines.icu.IcuJob;
import dev.vigil.schema.icu.Sex;
import java.util.List;

/**
 * A protected group of simulated patients, named the way the ICU pipeline's fairness monitors name it: an attribute
 * of the prediction's group map ({@code sexAtBirth} or {@code ageBand}, see {@code IcuJob.toPrediction}) and one of
 * its values. Age bands are {@link IcuJob#ageBand(int)}'s.
 *
 * <pre>{@code
 * PatientGroup women = PatientGroup.parse("sexAtBirth=FEMALE");
 * PatientGroup oldest = PatientGroup.of(PatientGroup.Attribute.AGE_BAND, "80+");
 * }</pre>
 *
 * @param attribute the attribute that defines the group
 * @param value the attribute's value for members of the group
 */
public record PatientGroup(Attribute attribute, String value) {

    /** Age bands of {@link IcuJob#ageBand(int)} that a simulated adult (18 to 99) can fall in. */
    public static final List<String> AGE_BANDS = List.of("18-39", "40-64", "65-79", "80+");

    /** The group attributes the ICU pipeline reports fairness over. */
    public enum Attribute {
        SEX_AT_BIRTH("sexAtBirth"),
        AGE_BAND("ageBand");

        private final String key;

        Attribute(String key) {
            this.key = key;
        }

        /** The attribute's key in a prediction's group map. */
        public String key() {
            return key;
        }

        static Attribute fromKey(String key) {
            for (Attribute a : values()) {
                if (a.key.equals(key)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(
                    "unknown group attribute '" + key + "' (known: sexAtBirth, ageBand)");
        }
    }

    public PatientGroup {
        checkNotNull(attribute, "attribute");
        checkNotNull(value, "value");
        switch (attribute) {
            case SEX_AT_BIRTH -> checkArgument(
                    value.equals(Sex.FEMALE.name()) || value.equals(Sex.MALE.name()) || value.equals(Sex.UNKNOWN.name()),
                    "sexAtBirth must be FEMALE, MALE or UNKNOWN: %s",
                    value);
            case AGE_BAND -> checkArgument(AGE_BANDS.contains(value), "ageBand must be one of %s: %s", AGE_BANDS, value);
        }
    }

    public static PatientGroup of(Attribute attribute, String value) {
        return new PatientGroup(attribute, value);
    }

    /** Parses {@code attribute=value}, e.g. {@code sexAtBirth=FEMALE} or {@code ageBand=80+}. */
    public static PatientGroup parse(String spec) {
        checkNotNull(spec, "spec");
        int eq = spec.indexOf('=');
        checkArgument(eq > 0 && eq < spec.length() - 1, "group must be attribute=value, e.g. sexAtBirth=FEMALE: %s", spec);
        return new PatientGroup(Attribute.fromKey(spec.substring(0, eq).trim()), spec.substring(eq + 1).trim());
    }

    /** Whether a patient of this age and sex belongs to the group. */
    public boolean contains(int ageYears, Sex sexAtBirth) {
        return switch (attribute) {
            case SEX_AT_BIRTH -> sexAtBirth.name().equals(value);
            case AGE_BAND -> IcuJob.ageBand(ageYears).equals(value);
        };
    }

    /** Whether the patient belongs to the group. */
    public boolean contains(PatientTruth truth) {
        return contains(truth.ageYears(), truth.sexAtBirth());
    }

    /** {@code attribute=value}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return attribute.key() + "=" + value;
    }
}

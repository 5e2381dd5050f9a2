package dev.vigil.operators.explain;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.VitalSign;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clinical grouping of the ICU deterioration features ({@link IcuFeatures#NAMES}) into ten readable reasons, read
 * from the feature names' prefixes so that it follows the feature schema:
 *
 * <table>
 *   <caption>Groups, in this order</caption>
 *   <tr><th>group</th><th>features</th><th>reported value</th></tr>
 *   <tr><td>heart rate, respiratory rate, SpO2, temperature, systolic BP, diastolic BP</td>
 *       <td>the vital's 11 trend features ({@code heart_rate_*}, ...)</td><td>{@code <vital>_last}</td></tr>
 *   <tr><td>oxygen</td><td>{@code o2_flow_*}, {@code on_oxygen}</td><td>{@code o2_flow_last}</td></tr>
 *   <tr><td>consciousness</td><td>{@code acvpu_*}</td><td>{@code acvpu_last}</td></tr>
 *   <tr><td>age</td><td>{@code age_years}</td><td>{@code age_years}</td></tr>
 *   <tr><td>NEWS2</td><td>{@code news2_total}, {@code news2_scale}</td><td>{@code news2_total}</td></tr>
 * </table>
 *
 * <p>NEWS2 is a function of the vitals, but the explanation is interventional: the model's use of the NEWS2 features
 * is credited to the NEWS2 group, its use of the raw vitals to the vitals.
 */
public final class IcuFeatureGroups {

    /** Group names, in group order. */
    public static final String HEART_RATE = "heart rate";

    public static final String RESPIRATORY_RATE = "respiratory rate";
    public static final String SPO2 = "SpO2";
    public static final String TEMPERATURE = "temperature";
    public static final String SYSTOLIC_BP = "systolic BP";
    public static final String DIASTOLIC_BP = "diastolic BP";
    public static final String OXYGEN = "oxygen";
    public static final String CONSCIOUSNESS = "consciousness";
    public static final String AGE = "age";
    public static final String NEWS2 = "NEWS2";

    private static final FeatureGroups CLINICAL = build();

    private IcuFeatureGroups() {}

    /** The ten clinical groups over {@link IcuFeatures#NAMES}. */
    public static FeatureGroups clinical() {
        return CLINICAL;
    }

    private static FeatureGroups build() {
        // Group name -> feature-name prefixes; the representative is the first feature listed below.
        Map<String, List<String>> prefixes = new LinkedHashMap<>();
        prefixes.put(HEART_RATE, List.of(VitalSign.HEART_RATE.featureName() + "_"));
        prefixes.put(RESPIRATORY_RATE, List.of(VitalSign.RESPIRATORY_RATE.featureName() + "_"));
        prefixes.put(SPO2, List.of(VitalSign.SPO2.featureName() + "_"));
        prefixes.put(TEMPERATURE, List.of(VitalSign.TEMPERATURE.featureName() + "_"));
        prefixes.put(SYSTOLIC_BP, List.of(VitalSign.SYSTOLIC_BP.featureName() + "_"));
        prefixes.put(DIASTOLIC_BP, List.of(VitalSign.DIASTOLIC_BP.featureName() + "_"));
        prefixes.put(OXYGEN, List.of(VitalSign.OXYGEN_FLOW.featureName() + "_", "on_oxygen"));
        prefixes.put(CONSCIOUSNESS, List.of(VitalSign.CONSCIOUSNESS.featureName() + "_"));
        prefixes.put(AGE, List.of("age_"));
        prefixes.put(NEWS2, List.of("news2_"));
        Map<String, String> representatives = Map.of(
                OXYGEN, VitalSign.OXYGEN_FLOW.featureName() + "_last",
                AGE, "age_years",
                NEWS2, "news2_total");

        FeatureGroups.Builder builder = FeatureGroups.builder(IcuFeatures.NAMES);
        for (Map.Entry<String, List<String>> group : prefixes.entrySet()) {
            List<String> members = new ArrayList<>();
            String representative = representatives.get(group.getKey());
            if (representative == null) {
                representative = group.getValue().get(0) + "last";
            }
            members.add(representative);
            for (String name : IcuFeatures.NAMES) {
                if (!name.equals(representative) && startsWithAny(name, group.getValue())) {
                    members.add(name);
                }
            }
            builder.group(group.getKey(), members);
        }
        // build() fails if a feature is in no group: a renamed or new feature must be placed here.
        return builder.build();
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

package dev.vigil.operators.monitor;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A detector of the {@link DriftDetectors} registry with its {@code key=value} parameter overrides, validated at
 * construction (an unknown detector or parameter, or a value the detector rejects, fails here, at job submission,
 * not in a running task).
 *
 * @param detector kebab-case name, e.g. {@code adwin}
 * @param params {@code key=value} overrides; the others keep their published defaults
 */
public record DetectorConfig(String detector, List<String> params) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DetectorConfig {
        Objects.requireNonNull(detector, "detector");
        params = List.copyOf(params);
        DriftDetectors.create(detector, params); // validates
        detector = DriftDetectors.spec(detector).name();
    }

    /** The detector with its published defaults. */
    public static DetectorConfig of(String detector, String... params) {
        return new DetectorConfig(detector, List.of(params));
    }

    /** A new detector in its initial state. */
    public DriftDetector create() {
        return DriftDetectors.create(detector, params);
    }

    /**
     * Every parameter as the detector runs with it, defaults filled in: canonical kebab-case key to value as written
     * in {@link #params} or as the published default, in the registry's order.
     */
    public Map<String, String> parameters() {
        DriftDetectors.Spec spec = DriftDetectors.spec(detector);
        Map<String, String> given = new LinkedHashMap<>();
        for (String kv : params) {
            int eq = kv.indexOf('=');
            given.put(spec.param(kv.substring(0, eq)).name(), kv.substring(eq + 1).trim());
        }
        Map<String, String> all = new LinkedHashMap<>();
        for (DriftDetectors.Param p : spec.params()) {
            all.put(p.name(), given.getOrDefault(p.name(), p.defaultValue()));
        }
        return Collections.unmodifiableMap(all);
    }

    @Override
    public String toString() {
        return params.isEmpty() ? detector : detector + " " + String.join(" ", params);
    }
}

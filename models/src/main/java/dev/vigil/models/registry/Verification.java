package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.List;

/**
 * What {@link ModelRegistry#verify} found for one version (or, with {@code version} 0, for a name's stage ledger).
 *
 * @param name the model name
 * @param version the version checked, or 0 for the name's {@link StageLedger}
 * @param checked what was checked and found intact, e.g. {@code model.onnx sha-256}
 * @param problems what was found wrong; empty when the version is intact
 */
public record Verification(String name, long version, List<String> checked, List<String> problems) {

    public Verification {
        checkNotNull(name, "name");
        checked = List.copyOf(checkNotNull(checked, "checked"));
        problems = List.copyOf(checkNotNull(problems, "problems"));
    }

    /** Whether nothing was found wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** {@code name:version}, or {@code name (stages)} for a ledger check. */
    public String label() {
        return version == 0 ? name + " (stages)" : name + ':' + version;
    }
}

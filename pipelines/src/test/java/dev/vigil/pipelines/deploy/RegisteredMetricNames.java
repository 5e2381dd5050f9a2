package dev.vigil.pipelines.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.runtime.metrics.MetricNames;

/**
 * The metric names that exist, so that a dashboard query can be checked against them.
 *
 * <p>Vigil's: every name passed to {@code counter(...)}, {@code gauge(...)}, {@code histogram(...)} or {@code
 * meter(...)} in the main sources of the operators and pipelines modules, as a string literal or as a {@code static
 * final String} constant (of the same file, or {@code Class.CONSTANT}). All of them are registered on operator metric
 * groups. Flink's: the names its runtime registers, read by reflection from {@link MetricNames} and the checkpoint
 * statistics tracker.
 *
 * <p>{@link #problem} maps a Prometheus name as Flink's reporter emits it back to the registered name: {@code
 * flink_<logical scope>_<user groups>_<name>}, parts joined by {@code _}, {@code _count} added for a histogram's
 * count. A user group is the name of {@code addGroup(name)} or the key of {@code addGroup(key, value)} (whose value
 * becomes a label); the groups are taken from the same sources, without tying each to its metrics.
 */
final class RegisteredMetricNames {

    /** Logical scopes of Flink's metric groups as the Prometheus reporter writes them, most specific first. */
    static final List<String> SCOPES = List.of(
            "flink_taskmanager_job_task_operator_",
            "flink_taskmanager_job_task_",
            "flink_taskmanager_job_",
            "flink_taskmanager_",
            "flink_jobmanager_job_operator_",
            "flink_jobmanager_job_",
            "flink_jobmanager_");

    static final String OPERATOR_SCOPE = SCOPES.get(0);

    private static final Pattern REGISTRATION =
            Pattern.compile("\\.(counter|gauge|histogram|meter)\\(\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_.]*)\\s*[,)]");
    private static final Pattern GROUP =
            Pattern.compile("\\.addGroup\\(\\s*(\"[^\"]+\"|[A-Za-z_][A-Za-z0-9_.]*)\\s*[,)]");
    private static final Pattern STRING_CONSTANT =
            Pattern.compile("static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*;");

    private static final String[] FLINK_NAME_CLASSES = {
        "org.apache.flink.runtime.metrics.MetricNames",
        "org.apache.flink.runtime.checkpoint.DefaultCheckpointStatsTracker"
    };

    private final Set<String> vigil = new TreeSet<>();
    private final Set<String> vigilHistograms = new TreeSet<>();
    private final Set<String> vigilGroups = new TreeSet<>();
    private final Set<String> flink = new TreeSet<>();

    private RegisteredMetricNames() {}

    static RegisteredMetricNames load(Path... sourceRoots) {
        RegisteredMetricNames names = new RegisteredMetricNames();
        for (Path root : sourceRoots) {
            names.scanSources(root);
        }
        names.collectFlinkNames();
        return names;
    }

    Set<String> vigil() {
        return vigil;
    }

    Set<String> flink() {
        return flink;
    }

    /**
     * Why the Prometheus metric {@code prometheusName} cannot come from Vigil or Flink, or empty when it can: its
     * scope must be one of {@link #SCOPES}, Vigil's names only at operator scope.
     */
    Optional<String> problem(String prometheusName) {
        String scope = SCOPES.stream().filter(prometheusName::startsWith).findFirst().orElse(null);
        if (scope == null) {
            return Optional.of(prometheusName + ": not a Flink metric scope " + SCOPES);
        }
        String name = prometheusName.substring(scope.length());
        name = withoutUserGroups(name);
        if (vigil.contains(name) || name.endsWith("_count") && vigilHistograms.contains(strip(name))) {
            return scope.equals(OPERATOR_SCOPE)
                    ? Optional.empty()
                    : Optional.of(prometheusName + ": Vigil registers " + name + " on operator metric groups ("
                            + OPERATOR_SCOPE + ")");
        }
        if (flink.contains(name) || name.endsWith("_count") && flink.contains(strip(name))) {
            return Optional.empty();
        }
        return Optional.of(
                prometheusName + ": no metric named '" + name + "' is registered in Vigil's code or by Flink");
    }

    /** {@code signal_observationsSinceDrift} to {@code observationsSinceDrift} when Vigil adds a group "signal". */
    private String withoutUserGroups(String name) {
        String rest = name;
        boolean stripped = true;
        while (stripped && !vigil.contains(rest)) {
            stripped = false;
            for (String group : vigilGroups) {
                if (rest.startsWith(group + "_")) {
                    rest = rest.substring(group.length() + 1);
                    stripped = true;
                    break;
                }
            }
        }
        return vigil.contains(rest) ? rest : name;
    }

    private static String strip(String name) {
        return name.substring(0, name.length() - "_count".length());
    }

    private void scanSources(Path root) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> texts = new HashMap<>();
        Map<String, String> qualifiedConstants = new HashMap<>();
        for (Path file : files) {
            String text = read(file);
            String simpleName = file.getFileName().toString().replace(".java", "");
            texts.put(simpleName, text);
            Matcher constant = STRING_CONSTANT.matcher(text);
            while (constant.find()) {
                qualifiedConstants.put(simpleName + "." + constant.group(1), constant.group(2));
            }
        }
        for (Map.Entry<String, String> source : texts.entrySet()) {
            Matcher call = REGISTRATION.matcher(source.getValue());
            while (call.find()) {
                String name = resolve(call.group(2), source.getKey(), qualifiedConstants);
                if (name == null) {
                    continue; // a name computed at run time: not checkable here
                }
                vigil.add(name);
                if (call.group(1).equals("histogram")) {
                    vigilHistograms.add(name);
                }
            }
            Matcher group = GROUP.matcher(source.getValue());
            while (group.find()) {
                String name = resolve(group.group(1), source.getKey(), qualifiedConstants);
                if (name != null) {
                    vigilGroups.add(name);
                }
            }
        }
    }

    /** A string literal, {@code CONSTANT} of {@code file} or {@code Class.CONSTANT}; null when not resolvable. */
    private static String resolve(String argument, String file, Map<String, String> qualifiedConstants) {
        if (argument.startsWith("\"")) {
            return argument.substring(1, argument.length() - 1);
        }
        return qualifiedConstants.get(argument.contains(".") ? argument : file + "." + argument);
    }

    private void collectFlinkNames() {
        for (String className : FLINK_NAME_CLASSES) {
            Class<?> names;
            try {
                names = Class.forName(className);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Flink class " + className + " moved: update this test", e);
            }
            for (Field field : names.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                    try {
                        field.setAccessible(true);
                        flink.add((String) field.get(null));
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        throw new IllegalStateException("Cannot read " + className + "." + field.getName(), e);
                    }
                }
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

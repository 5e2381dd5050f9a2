package dev.vigil.operators.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.Preconditions;

/**
 * A partition of a model's features into named groups, the players of a Shapley explanation. Features of one group
 * enter and leave a coalition together (all taken from the explained row, or all from the same background row), so a
 * group's attribution is the Shapley value of the group as one player, and the 76 ICU features become about ten
 * readable reasons ({@link IcuFeatureGroups}) whose exact enumeration ({@code 2^10} coalitions) is affordable.
 *
 * <p>Each group has a representative feature whose value is reported as the reason's value ({@code heart_rate_last}
 * for "heart rate"). {@link #singletons} makes every feature its own group, its own representative.
 *
 * <pre>{@code
 * FeatureGroups groups = FeatureGroups.builder(featureNames)
 *         .group("heart rate", "heart_rate_last", "heart_rate_mean_1h")   // the first feature is the representative
 *         .group("age", "age_years")
 *         .build();                                                     // every feature in exactly one group
 * }</pre>
 *
 * Immutable.
 */
public final class FeatureGroups {

    private final List<String> featureNames;
    private final List<String> groupNames;
    private final int[][] members;
    private final int[] representatives;
    private final int[] groupOf;

    private FeatureGroups(List<String> featureNames, List<String> groupNames, int[][] members) {
        this.featureNames = List.copyOf(featureNames);
        this.groupNames = List.copyOf(groupNames);
        this.members = members;
        this.representatives = new int[members.length];
        this.groupOf = new int[featureNames.size()];
        Arrays.fill(groupOf, -1);
        for (int g = 0; g < members.length; g++) {
            representatives[g] = members[g][0];
            for (int f : members[g]) {
                groupOf[f] = g;
            }
        }
    }

    /** Every feature its own group, named after it. */
    public static FeatureGroups singletons(List<String> featureNames) {
        checkFeatureNames(featureNames);
        int[][] members = new int[featureNames.size()][];
        for (int f = 0; f < members.length; f++) {
            members[f] = new int[] {f};
        }
        return new FeatureGroups(featureNames, featureNames, members);
    }

    /** {@link #singletons} over features named {@code f0, f1, ...}. */
    public static FeatureGroups singletons(int featureCount) {
        Preconditions.checkArgument(featureCount >= 1, "featureCount must be at least 1, got %s", featureCount);
        List<String> names = new ArrayList<>(featureCount);
        for (int f = 0; f < featureCount; f++) {
            names.add("f" + f);
        }
        return singletons(names);
    }

    /** A builder of groups over {@code featureNames}, the model's features in vector order. */
    public static Builder builder(List<String> featureNames) {
        return new Builder(featureNames);
    }

    /** F, the number of features. */
    public int featureCount() {
        return featureNames.size();
    }

    /** The number of groups, the players of an explanation. */
    public int groupCount() {
        return members.length;
    }

    /** The features in vector order. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** The group names in group order. */
    public List<String> groupNames() {
        return groupNames;
    }

    public String groupName(int group) {
        return groupNames.get(group);
    }

    /** The feature indices of {@code group}, ascending after the representative (a copy). */
    public int[] members(int group) {
        return members[group].clone();
    }

    /** The feature whose value stands for {@code group} in a reason. */
    public int representative(int group) {
        return representatives[group];
    }

    /** The group of {@code feature}. */
    public int groupOf(int feature) {
        Preconditions.checkElementIndex(feature, groupOf.length);
        return groupOf[feature];
    }

    /** Whether every group is a single feature. */
    public boolean isSingletons() {
        return members.length == featureNames.size();
    }

    /** The members of every group, shared with the caller: package-private so that explainers avoid copies. */
    int[][] membersView() {
        return members;
    }

    @Override
    public String toString() {
        return "FeatureGroups{" + groupCount() + " groups over " + featureCount() + " features: " + groupNames + '}';
    }

    private static void checkFeatureNames(List<String> featureNames) {
        Preconditions.checkNotNull(featureNames, "featureNames");
        Preconditions.checkArgument(!featureNames.isEmpty(), "featureNames must not be empty");
        Set<String> seen = new HashSet<>();
        for (String name : featureNames) {
            Preconditions.checkArgument(name != null && !name.isBlank(), "feature names must not be blank");
            Preconditions.checkArgument(seen.add(name), "duplicate feature name '%s'", name);
        }
    }

    /** Collects named groups; {@link #build()} checks that they partition the features. */
    public static final class Builder {
        private final List<String> featureNames;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> groupNames = new ArrayList<>();
        private final List<int[]> members = new ArrayList<>();
        private boolean restAsSingletons;

        private Builder(List<String> featureNames) {
            checkFeatureNames(featureNames);
            this.featureNames = List.copyOf(featureNames);
            for (int f = 0; f < featureNames.size(); f++) {
                index.put(featureNames.get(f), f);
            }
        }

        /** Adds group {@code name} of {@code features}; the first one is its representative. */
        public Builder group(String name, String... features) {
            return group(name, Arrays.asList(features));
        }

        /** Adds group {@code name} of {@code features}; the first one is its representative. */
        public Builder group(String name, List<String> features) {
            Preconditions.checkArgument(name != null && !name.isBlank(), "group names must not be blank");
            Preconditions.checkArgument(!groupNames.contains(name), "duplicate group name '%s'", name);
            Preconditions.checkArgument(
                    features != null && !features.isEmpty(), "group '%s' has no features", name);
            int[] indices = new int[features.size()];
            for (int i = 0; i < indices.length; i++) {
                Integer f = index.get(features.get(i));
                Preconditions.checkArgument(
                        f != null, "group '%s' names unknown feature '%s'", name, features.get(i));
                indices[i] = f;
            }
            // Representative first, the rest ascending: the order features are set in, for locality.
            Arrays.sort(indices, 1, indices.length);
            groupNames.add(name);
            members.add(indices);
            return this;
        }

        /** Makes every feature not in a named group its own group, named after the feature, after the named groups. */
        public Builder restAsSingletons() {
            this.restAsSingletons = true;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a feature is in two groups, or in none (unless {@link
         *     #restAsSingletons()}), or a singleton's name clashes with a group's
         */
        public FeatureGroups build() {
            int[] owner = new int[featureNames.size()];
            Arrays.fill(owner, -1);
            for (int g = 0; g < members.size(); g++) {
                for (int f : members.get(g)) {
                    Preconditions.checkArgument(
                            owner[f] < 0,
                            "feature '%s' is in groups '%s' and '%s'",
                            featureNames.get(f),
                            owner[f] < 0 ? "" : groupNames.get(owner[f]),
                            groupNames.get(g));
                    owner[f] = g;
                }
            }
            List<String> names = new ArrayList<>(groupNames);
            List<int[]> groups = new ArrayList<>(members);
            List<String> missing = new ArrayList<>();
            for (int f = 0; f < owner.length; f++) {
                if (owner[f] >= 0) {
                    continue;
                }
                if (restAsSingletons) {
                    String name = featureNames.get(f);
                    Preconditions.checkArgument(
                            !names.contains(name), "feature '%s' clashes with a group of that name", name);
                    names.add(name);
                    groups.add(new int[] {f});
                } else {
                    missing.add(featureNames.get(f));
                }
            }
            Preconditions.checkArgument(missing.isEmpty(), "features in no group: %s", missing);
            return new FeatureGroups(featureNames, names, groups.toArray(new int[0][]));
        }
    }
}

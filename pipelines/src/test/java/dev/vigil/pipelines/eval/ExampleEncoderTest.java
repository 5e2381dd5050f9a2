package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExampleEncoderTest {

    private static ExampleEncoder csv(String text, EncodingOptions options) throws IOException {
        return ExampleEncoder.open(new CsvReader(new StringReader(text)), options);
    }

    private static List<String> rows(ExampleStream s) throws IOException {
        List<String> out = new ArrayList<>();
        while (s.next()) {
            StringBuilder sb = new StringBuilder();
            for (double v : s.features()) {
                sb.append(v).append(' ');
            }
            out.add(sb.append("| ").append(s.label()).toString());
        }
        return out;
    }

    private static EncodingOptions options(String label, int maxCategories, Set<String> categorical,
            List<String> classes) {
        return new EncodingOptions(label, null, Set.of(), categorical, Set.of(), classes, maxCategories,
                EncodingOptions.DEFAULT_INFER_ROWS);
    }

    @Test
    void infersTypesOneHotEncodesWithABoundedVocabularyAndImputesMissingNumbers() throws IOException {
        String text = "id,x,colour,code,y\n"
                + "a,1.0,red,7,1\n"
                + "b,,green,7,0\n"
                + "c,3.0,blue,8,1\n"
                + "d,5,,9,0\n";
        EncodingOptions o = new EncodingOptions("y", null, Set.of("id"), Set.of("code"), Set.of(), List.of(), 2,
                EncodingOptions.DEFAULT_INFER_ROWS);
        ExampleEncoder e = csv(text, o);
        // x: 1 slot; colour: red, green + overflow; code: 7, 8 + overflow
        assertThat(e.numFeatures()).isEqualTo(7);
        assertThat(e.featureNames()).containsExactly("x", "colour=#0", "colour=#1", "colour=<other>", "code=#0",
                "code=#1", "code=<other>");
        assertThat(e.numClasses()).isEqualTo(2);
        assertThat(rows(e)).containsExactly(
                "1.0 1.0 0.0 0.0 1.0 0.0 0.0 | 1",
                "1.0 0.0 1.0 0.0 1.0 0.0 0.0 | 0", // x missing: the mean so far, 1.0
                "3.0 0.0 0.0 1.0 0.0 1.0 0.0 | 1", // blue overflows
                "5.0 0.0 0.0 0.0 0.0 0.0 1.0 | 0"); // colour missing: no slot; 9 overflows
        assertThat(e.overflowed()).isEqualTo(2);
        assertThat(e.describe()).isEqualTo(
                "7 features from 1 numeric and 2 categorical columns: colour (3), code (3); label 'y' with 2 classes");
    }

    @Test
    void aColumnIsNumericOnlyIfTheInferenceRowsAreAllNumbers() throws IOException {
        String text = "x,y,label\n1,2,0\n2,b,1\n";
        ExampleEncoder e = csv(text, EncodingOptions.defaults());
        assertThat(e.featureNames()).startsWith("x", "y=#0");
        assertThat(e.numFeatures()).isEqualTo(1 + EncodingOptions.DEFAULT_MAX_CATEGORIES + 1);

        EncodingOptions oneRow = new EncodingOptions(null, null, Set.of(), Set.of(), Set.of(), List.of(), 4, 1);
        ExampleEncoder guessed = csv(text, oneRow);
        assertThat(guessed.featureNames()).containsExactly("x", "y");
        guessed.next();
        assertThatThrownBy(guessed::next)
                .isInstanceOf(InputFormatException.class)
                .hasMessage("line 3: column 'y' is numeric but holds 'b'; name it with --categorical if it is a"
                        + " category");
    }

    @Test
    void mapsLabelsByClassesAndRefusesUnknownOrMissingOnes() throws IOException {
        String text = "x,y\n1,cat\n2,dog\n3,bird\n4,fish\n5,\n";
        ExampleEncoder e = csv(text, options("y", 4, Set.of(), List.of("bird", "cat", "dog")));
        assertThat(e.numClasses()).isEqualTo(3);
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            e.next();
            labels.add(e.label());
        }
        assertThat(labels).containsExactly(1, 2, 0);
        assertThatThrownBy(e::next).hasMessage("line 5: label 'fish' is not one of the classes [bird, cat, dog]");
        assertThatThrownBy(e::next).hasMessage("line 6: the label 'y' is missing");

        ExampleEncoder binary = csv("x,label\n1,true\n2,0.0\n3,2\n", EncodingOptions.defaults());
        binary.next();
        assertThat(binary.label()).isEqualTo(1);
        binary.next();
        assertThat(binary.label()).isZero();
        assertThatThrownBy(binary::next).hasMessageContaining("label '2' is not 0 or 1");
    }

    @Test
    void arffTypesAndTheLastAttributeAsLabel() throws IOException {
        String arff = "@relation r\n@attribute x numeric\n@attribute c {a,b,c}\n@attribute t date\n"
                + "@attribute class {n,p}\n@data\n1,b,2026-03-01T00:00:00,p\n";
        EncodingOptions o = new EncodingOptions(null, "t", Set.of(), Set.of(), Set.of(), List.of(), 32, 1);
        ExampleEncoder e = ExampleEncoder.open(new ArffReader(new StringReader(arff)), o);
        assertThat(e.featureNames()).containsExactly("x", "c=a", "c=b", "c=c"); // declared values, no overflow
        assertThat(e.classes()).containsExactly("n", "p");
        assertThat(rows(e)).containsExactly("1.0 0.0 1.0 0.0 | 1");

        ExampleEncoder small = ExampleEncoder.open(new ArffReader(new StringReader(arff)),
                new EncodingOptions(null, "t", Set.of(), Set.of(), Set.of(), List.of(), 2, 1));
        assertThat(small.featureNames()).containsExactly("x", "c=a", "c=b", "c=<other>");
        assertThatThrownBy(() -> ExampleEncoder.open(new ArffReader(new StringReader(arff)),
                        EncodingOptions.defaults()))
                .hasMessageContaining("date attribute 't' can only be the time column or ignored");
    }

    @Test
    void readsTheTimeColumn() throws IOException {
        ExampleEncoder e = csv("ts,x,label\n1700000000000,1,0\n2026-03-01T00:00:00Z,2,1\n2026-03-01 01:00:00,3,1\n"
                + "yesterday,4,0\n", new EncodingOptions(null, "ts", Set.of(), Set.of(), Set.of(), List.of(), 4, 10));
        assertThat(e.featureNames()).containsExactly("x");
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            e.next();
            times.add(e.timeMillis());
        }
        assertThat(times).containsExactly(1_700_000_000_000L, 1_772_323_200_000L, 1_772_326_800_000L);
        assertThatThrownBy(e::next).hasMessageStartingWith("line 5: time 'yesterday' in column 'ts'");
    }

    @Test
    void refusesColumnsTheHeaderLacks() {
        assertThatThrownBy(() -> csv("a,b\n1,0\n", EncodingOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name the label column (no column is called label or class); columns: a, b");
        assertThatThrownBy(() -> csv("a,b\n1,0\n", EncodingOptions.defaults().withLabel("z")))
                .hasMessage("the label column 'z' is not in the header; columns: a, b");
        assertThatThrownBy(() -> csv("a,label\n1,0\n",
                        new EncodingOptions(null, null, Set.of("a"), Set.of(), Set.of(), List.of(), 4, 10)))
                .hasMessageContaining("no feature columns");
    }
}

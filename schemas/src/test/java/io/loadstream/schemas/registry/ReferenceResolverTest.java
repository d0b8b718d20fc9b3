package io.loadstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ReferenceResolverTest {

    private static final String COUNTRY =
            "{\"type\":\"enum\",\"name\":\"Country\",\"namespace\":\"test\",\"symbols\":[\"NL\",\"DE\"]}";
    private static final String ADDRESS =
            "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"street\",\"type\":\"string\"},"
                    + "{\"name\":\"country\",\"type\":\"test.Country\"}]}";
    private static final String PRICE =
            "{\"type\":\"record\",\"name\":\"Price\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"cents\",\"type\":\"long\"},"
                    + "{\"name\":\"taxedIn\",\"type\":\"test.Country\"}]}";
    private static final String PERSON =
            "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"home\",\"type\":\"test.Address\"}]}";
    private static final String ORDER =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"test\",\"fields\":["
                    + "{\"name\":\"shipTo\",\"type\":\"test.Address\"},"
                    + "{\"name\":\"price\",\"type\":\"test.Price\"}]}";

    private static final SchemaReference COUNTRY_V1 =
            new SchemaReference("test.Country", "country", 1);
    private static final SchemaReference ADDRESS_V1 =
            new SchemaReference("test.Address", "address", 1);
    private static final SchemaReference PRICE_V1 = new SchemaReference("test.Price", "price", 1);

    private final Map<String, SchemaDefinition> registered = new HashMap<>();
    private final List<String> fetched = new ArrayList<>();
    private final ReferenceResolver resolver =
            new ReferenceResolver(
                    reference -> {
                        String key = reference.subject() + "/" + reference.version();
                        fetched.add(key);
                        SchemaDefinition definition = registered.get(key);
                        if (definition == null) {
                            throw new SchemaRegistryException(
                                    404, RegistryErrors.VERSION_NOT_FOUND, "Version not found.");
                        }
                        return definition;
                    });

    ReferenceResolverTest() {
        registered.put("country/1", new SchemaDefinition(COUNTRY, List.of()));
        registered.put("address/1", new SchemaDefinition(ADDRESS, List.of(COUNTRY_V1)));
        registered.put("price/1", new SchemaDefinition(PRICE, List.of(COUNTRY_V1)));
    }

    @Test
    void shouldParseTextThatNamesATypeItsReferenceDefines() {
        ResolvedSchema address =
                resolver.resolve(new SchemaDefinition(ADDRESS, List.of(COUNTRY_V1)), "schema id 7");

        Schema country = address.schema().getField("country").schema();
        assertThat(country.getType()).isEqualTo(Schema.Type.ENUM);
        assertThat(country.getEnumSymbols()).containsExactly("NL", "DE");
        assertThat(address.referencedTypes())
                .extracting(Schema::getFullName)
                .contains("test.Country");
    }

    @Test
    void shouldFollowReferencesOfReferencedSchemas() {
        ResolvedSchema person =
                resolver.resolve(new SchemaDefinition(PERSON, List.of(ADDRESS_V1)), "schema id 7");

        Schema home = person.schema().getField("home").schema();
        assertThat(home.getField("country").schema().getEnumSymbols()).containsExactly("NL", "DE");
        assertThat(fetched).containsExactly("address/1", "country/1");
    }

    @Test
    void shouldFetchAndParseASharedReferenceOnce() {
        ResolvedSchema order =
                resolver.resolve(
                        new SchemaDefinition(ORDER, List.of(ADDRESS_V1, PRICE_V1)), "schema id 7");

        Schema shipTo = order.schema().getField("shipTo").schema();
        Schema price = order.schema().getField("price").schema();
        assertThat(price.getField("taxedIn").schema())
                .isSameAs(shipTo.getField("country").schema());
        assertThat(fetched).containsExactly("address/1", "country/1", "price/1");
    }

    @Test
    void shouldNameTheReferenceThatCannotBeFetchedAndThePathToIt() {
        registered.put(
                "address/1",
                new SchemaDefinition(
                        ADDRESS, List.of(new SchemaReference("test.Country", "country", 2))));

        assertThatThrownBy(
                        () ->
                                resolver.resolve(
                                        new SchemaDefinition(PERSON, List.of(ADDRESS_V1)),
                                        "schema id 7"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(404);
                            assertThat(e.errorCode()).isEqualTo(RegistryErrors.VERSION_NOT_FOUND);
                        })
                .hasMessageContaining(
                        "schema id 7 refers to test.Country (subject 'country', version 2)"
                                + " through subject 'address' version 1, which cannot be fetched")
                .hasMessageContaining("Version not found.");
    }

    @Test
    void shouldRefuseReferencesThatFormACycle() {
        SchemaReference back = new SchemaReference("test.Person", "person", 1);
        registered.put("address/1", new SchemaDefinition(ADDRESS, List.of(back)));
        registered.put("person/1", new SchemaDefinition(PERSON, List.of(ADDRESS_V1)));

        assertThatThrownBy(
                        () ->
                                resolver.resolve(
                                        new SchemaDefinition(PERSON, List.of(ADDRESS_V1)),
                                        "schema id 7"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.INVALID_SCHEMA))
                .hasMessageContaining(
                        "the references of schema id 7 form a cycle: subject 'address' version 1"
                                + " -> subject 'person' version 1 -> subject 'address' version 1");
    }

    @Test
    void shouldRefuseTextNamingATypeThatNoReferenceDefines() {
        assertThatThrownBy(
                        () ->
                                resolver.resolve(
                                        new SchemaDefinition(ADDRESS, List.of()), "schema id 7"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.INVALID_SCHEMA))
                .hasMessageContaining("schema id 7 is not a valid Avro schema")
                .hasMessageContaining("test.Country");
    }

    @Test
    void shouldWriteCanonicalTextThatNamesReferencedTypesInsteadOfInliningThem() {
        String spaced = ADDRESS.replace(",", ",\n  ");

        ResolvedSchema address =
                resolver.resolve(new SchemaDefinition(spaced, List.of(COUNTRY_V1)), "schema id 7");

        assertThat(address.canonicalText())
                .isEqualTo(
                        resolver.resolve(
                                        new SchemaDefinition(ADDRESS, List.of(COUNTRY_V1)),
                                        "schema id 8")
                                .canonicalText())
                .doesNotContain("symbols");
        assertThat(
                        resolver.resolve(
                                        new SchemaDefinition(
                                                address.canonicalText(), List.of(COUNTRY_V1)),
                                        "schema id 9")
                                .schema())
                .isEqualTo(address.schema());
    }
}

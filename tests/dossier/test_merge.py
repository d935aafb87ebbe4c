"""Actors merged across the articles of a story."""

from storydesk.dossier.merge import PersonName, key, merge_actors, person_name
from storydesk.models import ActorRef


def person(name: str, *aliases: str) -> ActorRef:
    return ActorRef(name=name, kind="person", aliases=list(aliases))


def test_transliteration_variants_share_a_key() -> None:
    assert key("Zelenskiy") == key("Zelensky")
    assert key("Dmitriy Peskov") == key("Dmitry Peskov")
    assert key("Kyiv") == key("Kiev")


def test_spelling_variants_of_a_person_merge_under_the_fullest_name() -> None:
    actors, rename = merge_actors(
        [
            ("a1", [person("Oleksandr Syrskyi", "Syrskyi")]),
            ("a2", [person("Oleksandr Syrsky", "Syrsky")]),
        ]
    )
    assert len(actors) == 1
    assert actors[0].articles == ["a1", "a2"]
    assert rename[("a2", "Oleksandr Syrsky")] == actors[0].name


def test_surname_only_joins_the_one_full_name() -> None:
    actors, rename = merge_actors([("a1", [person("Maria Lopez")]), ("a2", [person("Lopez")])])
    assert len(actors) == 1
    assert rename[("a2", "Lopez")] == "Maria Lopez"


def test_different_first_names_stay_apart() -> None:
    actors, _ = merge_actors([("a1", [person("Maria Lopez")]), ("a2", [person("Carlos Lopez")])])
    assert len(actors) == 2


def test_ambiguous_surname_is_not_merged() -> None:
    actors, _ = merge_actors([("a1", [person("Maria Lopez"), person("Carlos Lopez")]), ("a2", [person("Lopez")])])
    assert len(actors) == 3


def test_places_merge_by_known_variant_and_kinds_stay_apart() -> None:
    actors, _ = merge_actors(
        [
            ("a1", [ActorRef(name="Kyiv", kind="place")]),
            ("a2", [ActorRef(name="Kiev", kind="place"), ActorRef(name="Kiev", kind="organization")]),
        ]
    )
    assert sorted((a.kind, a.name, tuple(a.articles)) for a in actors) == [
        ("organization", "Kiev", ("a2",)),
        ("place", "Kyiv", ("a1", "a2")),
    ]


def test_anonymous_sources_of_different_outlets_are_not_merged() -> None:
    anon = ActorRef(name="a senior official", kind="person", anonymous=True)
    actors, _ = merge_actors([("a1", [anon]), ("a2", [anon])])
    assert len(actors) == 2


def test_a_surname_mislabelled_as_organisation_joins_the_person() -> None:
    actors, rename = merge_actors(
        [("a1", [person("Maria Lopez", "Lopez")]), ("a2", [ActorRef(name="Lopez", kind="organization")])]
    )
    assert [(a.kind, a.name, a.articles) for a in actors] == [("person", "Maria Lopez", ["a1", "a2"])]
    assert rename[("a2", "Lopez")] == "Maria Lopez"


def test_names_in_other_scripts_keep_keys_of_their_own() -> None:
    assert key("Владимир Путин") and key("Владимир Путин") != key("Дмитрий Медведев")
    assert key("김정은") != key("김여정")
    assert key("Zoë Olsen") == key("Zoe Olsen")


def test_a_bare_surname_waits_for_the_full_names_of_later_outlets() -> None:
    actors, rename = merge_actors([("a1", [person("Lopez")]), ("a2", [person("Maria Lopez", "Lopez")])])
    assert [(a.name, a.articles) for a in actors] == [("Maria Lopez", ["a2", "a1"])]
    assert rename[("a1", "Lopez")] == "Maria Lopez"


def test_people_sharing_a_surname_are_never_merged_by_it() -> None:
    actors, rename = merge_actors(
        [
            ("a1", [person("Maria Lopez", "Lopez")]),
            ("a2", [person("Carlos Lopez", "Lopez")]),
            ("a3", [person("Lopez")]),
        ]
    )
    assert sorted(a.name for a in actors) == ["Carlos Lopez", "Lopez", "Maria Lopez"]
    # each outlet's "Lopez" is its own person; the outlet that never says which stays ambiguous
    assert rename[("a1", "Lopez")] == "Maria Lopez" and rename[("a2", "Lopez")] == "Carlos Lopez"
    assert rename[("a3", "Lopez")] == "Lopez"


def test_given_names_agree_through_nicknames_initials_and_suffixes() -> None:
    actors, _ = merge_actors(
        [
            ("a1", [person("Joseph R. Biden Jr.")]),
            ("a2", [person("Joe Biden", "Biden")]),
            ("a3", [person("J. Biden")]),
            ("a4", [person("Vice President Biden")]),
        ]
    )
    assert [(a.name, a.articles) for a in actors] == [("Joseph R. Biden Jr.", ["a1", "a2", "a3", "a4"])]


def test_a_middle_initial_or_suffix_is_no_given_name() -> None:
    assert person_name("Joseph R. Biden Jr.") == PersonName("joseph", "biden", suffix="jr")
    assert person_name("Mr. Biden") == PersonName("", "biden")
    assert not person_name("Jr.").full


def test_organisations_merge_only_on_equal_keys_not_on_a_fuzzy_score() -> None:
    def org(name: str, *aliases: str) -> ActorRef:
        return ActorRef(name=name, kind="organization", aliases=list(aliases))

    actors, _ = merge_actors(
        [
            ("a1", [org("UK Government"), org("European Union", "EU")]),
            ("a2", [org("US Government"), org("EU")]),
        ]
    )
    assert sorted((a.name, tuple(a.articles)) for a in actors) == [
        ("European Union", ("a1", "a2")),
        ("UK Government", ("a1",)),
        ("US Government", ("a2",)),
    ]


def test_names_in_other_scripts_are_transliterated_into_one_key() -> None:
    assert key("Владимир Путин") == key("Vladimir Putin")
    assert key("😀") == "😀"  # no letter to read: kept as written
    actors, _ = merge_actors([("a1", [person("Владимир Путин")]), ("a2", [person("Vladimir Putin")])])
    assert len(actors) == 1


def test_a_first_initial_gives_way_to_the_name_the_person_goes_by() -> None:
    actors, _ = merge_actors([("a1", [person("A. Barry Rand")]), ("a2", [person("Barry Rand", "Rand")])])
    assert [(a.name, a.articles) for a in actors] == [("A. Barry Rand", ["a1", "a2"])]
    actors, _ = merge_actors([("a1", [person("A. Barry Rand")]), ("a2", [person("Carl Rand")])])
    assert len(actors) == 2


def test_a_handle_is_the_one_person_whose_surname_it_holds() -> None:
    handle = ActorRef(name="@realMariaLopez", kind="organization")
    actors, rename = merge_actors([("a1", [person("Maria Lopez"), handle]), ("a2", [person("Carlos Diaz")])])
    assert sorted(a.name for a in actors) == ["Carlos Diaz", "Maria Lopez"]
    assert rename[("a1", "@realMariaLopez")] == "Maria Lopez"
    two, _ = merge_actors([("a1", [person("Maria Lopez"), person("Carlos Lopez"), handle])])
    assert len(two) == 3  # whose handle it is, the story does not say


def test_a_father_and_his_son_named_apart_in_an_article_stay_apart() -> None:
    actors, rename = merge_actors(
        [
            ("a1", [person("Donald Trump", "Trump"), person("Donald Trump Jr.")]),
            ("a2", [person("Donald Trump")]),
            ("a3", [person("Donald Trump Jr.")]),
        ]
    )
    assert sorted((a.name, tuple(a.articles)) for a in actors) == [
        ("Donald Trump", ("a1", "a2")),
        ("Donald Trump Jr.", ("a1", "a3")),
    ]
    assert rename[("a1", "Trump")] == "Donald Trump"


def test_a_bare_surname_beside_a_full_name_in_its_article_is_someone_else() -> None:
    # the article's own resolution left "Trump" apart from "Donald Trump Jr.": the father
    actors, rename = merge_actors(
        [
            ("a1", [person("Donald Trump Jr."), person("Trump")]),
            ("a2", [person("Donald Trump", "Trump")]),
        ]
    )
    assert sorted((a.name, tuple(a.articles)) for a in actors) == [
        ("Donald Trump", ("a2", "a1")),
        ("Donald Trump Jr.", ("a1",)),
    ]
    assert rename[("a1", "Trump")] == "Donald Trump"


def test_a_bare_surname_is_not_the_son_called_jr() -> None:
    actors, rename = merge_actors(
        [("a1", [person("Donald Trump Jr."), person("Donald Trump")]), ("a3", [person("Trump")])]
    )
    assert len(actors) == 2 and rename[("a3", "Trump")] == "Donald Trump"
    # two people without a suffix: not guessed
    actors, rename = merge_actors(
        [("a1", [person("Donald Trump"), person("Melania Trump")]), ("a3", [person("Trump")])]
    )
    assert len(actors) == 3 and rename[("a3", "Trump")] == "Trump"


def test_a_suffixed_and_a_plain_full_name_in_one_article_may_be_one_person() -> None:
    actors, _ = merge_actors(
        [
            ("a1", [person("Robert Mueller", "Mueller")]),
            ("a2", [person("Robert S. Mueller III"), person("Robert Mueller", "Mueller")]),
        ]
    )
    assert [(a.name, a.articles) for a in actors] == [("Robert S. Mueller III", ["a2", "a1"])]


def test_an_organisation_short_form_joins_its_one_full_name() -> None:
    from storydesk.dossier.merge import merge_actors
    from storydesk.models import ActorRef

    def org(name: str) -> ActorRef:
        return ActorRef(name=name, kind="organization")

    first = [org("U.S. Parks and Rivers Service"), org("Harbor Rowing Club International"), org("UK Government")]
    second = [org("Parks & Rivers Service"), org("Harbor Rowing Club"), org("US Government"), org("Government")]
    actors, rename = merge_actors([("a", first), ("b", second)])
    assert sorted(a.name for a in actors) == [
        "Government",  # two qualified governments: not guessed
        "Harbor Rowing Club International",
        "U.S. Parks and Rivers Service",
        "UK Government",
        "US Government",
    ]
    assert rename[("b", "Parks & Rivers Service")] == "U.S. Parks and Rivers Service"
    assert rename[("b", "Harbor Rowing Club")] == "Harbor Rowing Club International"


def test_an_organisation_is_not_its_foundation() -> None:
    from storydesk.dossier.merge import merge_actors
    from storydesk.models import ActorRef

    def org(name: str) -> ActorRef:
        return ActorRef(name=name, kind="organization")

    actors, rename = merge_actors([("a", [org("Harbor Rowing Club")]), ("b", [org("Harbor Rowing Club Foundation")])])
    assert sorted(a.name for a in actors) == ["Harbor Rowing Club", "Harbor Rowing Club Foundation"]
    assert rename[("a", "Harbor Rowing Club")] == "Harbor Rowing Club"


def test_an_organisation_named_by_its_last_words_or_another_form_of_its_country_joins_it() -> None:
    def org(name: str) -> ActorRef:
        return ActorRef(name=name, kind="organization")

    first = [org("U.S. Parks and Rivers Service"), org("Harbor Daily Ledger"), org("White House")]
    second = [org("United States Parks and Rivers Service"), org("Ledger"), org("House")]
    third = [org("Rivers Service"), org("U.S. Parks and Rivers Service")]
    actors, rename = merge_actors([("a", first), ("b", second), ("c", third)])
    # "House" leaves out one word only: another body ("White House" is not the House)
    assert sorted(a.name for a in actors) == [
        "Harbor Daily Ledger",
        "House",
        "U.S. Parks and Rivers Service",
        "White House",
    ]
    # the country written two ways, the form more outlets use is shown
    assert rename[("b", "United States Parks and Rivers Service")] == "U.S. Parks and Rivers Service"
    assert rename[("c", "Rivers Service")] == "U.S. Parks and Rivers Service"
    assert rename[("b", "Ledger")] == "Harbor Daily Ledger"


def test_a_last_word_that_is_only_an_organisation_noun_joins_nothing() -> None:
    def org(name: str) -> ActorRef:
        return ActorRef(name=name, kind="organization")

    actors, _ = merge_actors([("a", [org("Harbor Rowing Club Committee")]), ("b", [org("Committee")])])
    assert len(actors) == 2

"""Actors merged across the articles of a story."""

from storydesk.dossier.merge import key, merge_actors
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
    assert rename["Oleksandr Syrsky"] == actors[0].name


def test_surname_only_joins_the_one_full_name() -> None:
    actors, rename = merge_actors([("a1", [person("Maria Lopez")]), ("a2", [person("Lopez")])])
    assert len(actors) == 1
    assert rename["Lopez"] == "Maria Lopez"


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
    assert rename["Lopez"] == "Maria Lopez"


def test_names_in_other_scripts_keep_keys_of_their_own() -> None:
    assert key("Владимир Путин") and key("Владимир Путин") != key("Дмитрий Медведев")
    assert key("김정은") != key("김여정")
    assert key("Zoë Olsen") == key("Zoe Olsen")

"""Phrasing: nouns and verbs from resources and summaries, values in words,
goal-shaped instructions in several styles, and the item a user names out
of a list (envfactory_runtime.tasks)."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest


@pytest.fixture(scope="module")
def runtime():
    from envfactory_runtime.tasks import mentions, outputs, phrasing, wording

    return SimpleNamespace(
        wording=wording, phrasing=phrasing, mentions=mentions, outputs=outputs
    )


def test_nouns_from_resource_names(runtime) -> None:
    w = runtime.wording
    assert w.noun("deploy_keys") == "deploy key" and w.nouns("pet") == "pets"
    assert w.noun("dnsZones") == "DNS zone" and w.nouns("category") == "categories"
    assert w.label("photoUrls") == "photo URLs"
    assert w.label("created_at") == "creation time"  # not "its created at"
    assert w.label("lastUsedAt") == "last use time"
    assert w.label("publishedOn") == "publication date"
    assert w.label("look_at") == "look at"
    assert w.label("expires_in") == "time to expiry"
    assert w.noun("apis") == "API" and w.nouns("apis") == "APIs"  # Tyk's `/tyk/apis`


@pytest.mark.parametrize(
    ("many", "one"),
    [
        ("statuses", "status"),  # "the first table restore status", not "statuse"
        ("bonuses", "bonus"),
        ("campuses", "campus"),
        ("aliases", "alias"),
        ("analyses", "analysis"),
        ("causes", "cause"),
        ("houses", "house"),
        ("excuses", "excuse"),
        ("addresses", "address"),
        ("policies", "policy"),
    ],
)
def test_singular_and_plural_meet(runtime, many: str, one: str) -> None:
    assert runtime.wording.singular(many) == one
    assert runtime.wording.plural(one) == many


@pytest.mark.parametrize(
    ("summary", "operation", "expected"),
    [
        (
            "Returns pet inventories by status",
            "getInventory",
            "get pet inventories by status",
        ),
        ("Uploads an image.", "uploadFile", "upload an image"),
        ("Price Estimates", "get__estimates_price", "get the price estimates"),
        (
            "This is an internal-only endpoint",
            "getLatestPluginRuns",
            "get latest plugin runs",
        ),
        ("POST /sites/{site_id}/builds", "createSiteBuild", "create site build"),
        ("", "get__estimates_time", "get the estimates time"),
        (
            "Provides the geographical boundaries for all the jurisdictions",
            "get__jurisdictiongeography",
            "get the geographical boundaries for all the jurisdictions",
        ),
        # Title Case is no name (fire.com: "list Card Transactions for it");
        # names spelt otherwise stay
        ("List Card Transactions", "getCardTransactions", "list card transactions"),
        ("Get GitHub Repos", "getRepos", "get GitHub repos"),
        ("Destroy Application", "deleteApplication", "destroy application"),
        ("Will reload the gateway", "get__tyk_reload", "reload the gateway"),
        ("This endpoint will list keys", "listKeys", "list keys"),
        # a version tag is no word of the task; "for self" is the user's own
        ("V1 Get Payout Statistics", "getPayoutStatsV1", "get payout statistics"),
        (
            "Unregister MFA for Self",
            "unregisterMFAForSelf",
            "unregister MFA for myself",
        ),
        (  # not "get performs batch delete ..." (Alert Center)
            "Performs batch delete operation on alerts.",
            "alertcenter.alerts.batchDelete",
            "perform batch delete operation on alerts",
        ),
        (  # AWS: not "get the RejectQualificationRequest operation rejects ..."
            "The <code>RejectQualificationRequest</code> operation rejects a user's"
            " request for a Qualification.",
            "RejectQualificationRequest",
            "reject a user's request for a Qualification",
        ),
        (  # another operation named in words; a product name kept
            "Returns the status of a particular EnableControl or DisableControl"
            " operation in CloudWatch.",
            "GetControlOperation",
            "get the status of a particular enable control or disable control"
            " operation in CloudWatch",
        ),
        (  # a schema named as a type, in words; a brand kept
            "Returns information about an array of TableRestoreStatus objects.",
            "ListTableRestoreStatus",
            "get information about an array of table restore status objects",
        ),
        (
            "Creates a GitHub App object.",
            "createApp",
            "create a GitHub App object",
        ),
        (  # AWS writes its descriptions in HTML; not "get <p>Adds or modifies"
            "<p>Adds or modifies account-level configurations in ACM. </p> <p>The"
            " supported option is <code>DaysBeforeExpiry</code>.</p>",
            "PutAccountConfiguration",
            "add or modify account-level configurations in ACM",
        ),
    ],
)
def test_actions_read_as_imperatives(runtime, summary, operation, expected) -> None:
    assert runtime.wording.verb_phrase(summary, operation, "/x") == expected


def test_values_are_said_in_words_not_json(runtime) -> None:
    pairs = runtime.wording.spoken_values(
        {
            "body": {
                "name": "Rex",
                "photoUrls": ["https://a.example/x.png"],
                "complete": False,
                "category": {"name": "Dogs"},
            }
        }
    )
    text = runtime.wording.with_phrase(pairs)
    assert text == (
        "named 'Rex' with photo URLs https://a.example/x.png, complete no"
        " and category name 'Dogs'"
    )


def _phraser(runtime):
    operations = {
        "addPet": {
            "role": "create",
            "resource": "pet",
            "path": "/pet",
            "summary": "Add a pet",
        },
        "getPetById": {"role": "read", "resource": "pet", "path": "/pet/{petId}"},
        "deletePet": {"role": "delete", "resource": "pet", "path": "/pet/{petId}"},
        "findPets": {"role": "list", "resource": "pet", "path": "/pet"},
    }
    context = SimpleNamespace(title="Petstore", operations=operations)
    return runtime.phrasing.Phraser(context)


def test_instructions_are_goals_with_every_value(runtime) -> None:
    phraser, Move = _phraser(runtime), runtime.phrasing.Move
    moves = [
        Move("addPet", {"body": {"name": "Rex"}}),
        Move("getPetById", {}, refers=True),
        Move("deletePet", {}, refers=True),
    ]
    outputs = [{"step": 0, "pointer": "/id", "value": 7}]
    texts = {phraser.instruction(moves, outputs, f"k{i}") for i in range(40)}
    assert len(texts) >= 10  # styles, verbs and connectors vary by seed
    for text in texts:
        assert "'Rex'" in text and "new pet's ID" in text
        assert "addPet" not in text and "/pet" not in text and "{" not in text
    goal = phraser.goal(moves, outputs, "k0")
    assert "Rex" not in goal  # the simulated user reveals it when asked
    assert phraser.reveal(moves[0]) == "Use name 'Rex'."
    closing = phraser.closing(moves, outputs, "k0")
    assert "7" in closing and "ID" in closing


def test_an_item_picked_from_a_list_is_named(runtime) -> None:
    answers = [[{"id": 1, "name": "Rex"}, {"id": 2, "name": "Bo"}]]
    assert runtime.mentions.naming(2, answers) == ("name", "Bo")
    assert runtime.mentions.naming(1, [[{"id": 1, "name": "Rex"}]]) is None  # only one
    assert (
        runtime.mentions.naming(2, [answers[0], {"id": 2}]) is None
    )  # read since: "it"
    phraser, Move = _phraser(runtime), runtime.phrasing.Move
    text = phraser.instruction(
        [
            Move("findPets", {}),
            Move("deletePet", {}, refers=True, named=("name", "Bo")),
        ],
        [],
        "k",
    )
    assert "the pet named 'Bo'" in text


def test_outputs_skip_what_the_user_said_and_pick_the_touched_item(runtime) -> None:
    answers = [
        {"id": 5, "name": "Rex"},
        [{"id": 1, "name": "A"}, {"id": 5, "name": "Rex"}],
    ]
    chosen = runtime.outputs.choose_outputs(answers, said={"Rex"})
    assert chosen == [{"step": 1, "pointer": "/1/id", "value": 5}]


def _phraser_over(runtime, operations: dict, title: str):
    """A phraser over `operations` (their roles, resources and paths), and `Move`."""
    context = SimpleNamespace(title=title, operations=operations, tools=[])
    return runtime.phrasing.Phraser(context), runtime.phrasing.Move


def _arm_phraser(runtime):
    item = "/subs/{subscriptionId}/groups/{resourceGroupName}/things/{thingName}"
    operations = {
        "Things_CreateOrUpdate": {"role": "update", "resource": "thing", "path": item},
        "Things_Get": {"role": "read", "resource": "thing", "path": item},
        "Things_ListKeys": {
            "role": "action",
            "resource": "thing",
            "path": item + "/listKeys",
        },
        "addNote": {
            "role": "create",
            "resource": "note",
            "path": "/games/{apiKey}/notes",
        },
    }
    tools = [
        {
            "type": "function",
            "function": {
                "name": "Things_Get",
                "parameters": {
                    "properties": {
                        "X-Target": {"type": "string", "enum": ["Things.Get"]}
                    }
                },
            },
        }
    ]
    context = SimpleNamespace(title="Things", operations=operations, tools=tools)
    return runtime.phrasing.Phraser(context), runtime.phrasing.Move


def test_a_task_says_its_context_once_and_its_parents_as_parents(runtime) -> None:
    """The parents and the API version of an ARM resource are said with the
    first step; later steps on the item say "it", and a value the tool's
    schema fixes (a one-member enum header) is protocol, not the user's."""
    phraser, Move = _arm_phraser(runtime)
    ids = {"subscriptionId": "subid", "resourceGroupName": "rg1", "thingName": "t1"}
    first = Move(
        "Things_CreateOrUpdate",
        {**ids, "api-version": "2019-12-01", "body": {"properties": {"label": "Ops"}}},
        given=("subscriptionId", "resourceGroupName", "thingName"),
    )
    later = Move(
        "Things_Get",
        {
            "subscriptionId": "subid",
            "resourceGroupName": "rg1",
            "api-version": "2019-12-01",
            "X-Target": "Things.Get",
        },
        refers=True,
        given=("subscriptionId", "resourceGroupName"),
        own=False,
    )
    text = phraser.instruction(
        [first, later, Move("Things_ListKeys", {}, refers=True)], [], "k1"
    )
    assert text.count("2019-12-01") == 1 and text.count("rg1") == 1, text
    assert "thing t1 (subscription ID 'subid', resource group name rg1)" in text
    assert "with API version 2019-12-01, setting its label to 'Ops'" in text
    assert "Things.Get" not in text and "list the thing keys" in text


def test_a_create_under_a_parent_the_user_has_names_it(runtime) -> None:
    phraser, Move = _arm_phraser(runtime)
    move = Move(
        "addNote",
        {"apiKey": "k-42", "body": {"text": "hello"}},
        given=("apiKey",),
        own=False,
    )
    text = phraser.instruction([move], [], "k2")
    assert "(API key k-42)" in text and "'hello'" in text


@pytest.mark.parametrize(
    ("summary", "operation", "expected"),
    [
        (
            "Regenerates primary key of the subscription.",
            "x",
            "regenerate primary key of the subscription",
        ),
        ("", "Subscription_ListSecrets", "list the subscription secrets"),
        ("", "Subscription_CreateOrUpdate", "create or update the subscription"),
        ("Compute atmospheric density", "y", "compute atmospheric density"),
    ],
)
def test_third_person_summaries_and_arm_operation_ids_read_as_imperatives(
    runtime, summary, operation, expected
) -> None:
    assert runtime.wording.verb_phrase(summary, operation, "/x") == expected


def test_nouns_of_file_like_paths_and_series(runtime) -> None:
    w = runtime.wording
    assert w.path_noun("/translate/yoda.json") == "yoda"
    assert w.path_noun("/identity/person/name/first") == "first name"  # not "first"
    assert w.path_noun("/quotes/random") == "random quote"
    assert w.path_noun("/first") == "first"
    assert (
        w.singular("timeseries") == "timeseries"
        and w.plural("timeseries") == "timeseries"
    )


def test_outputs_reach_one_level_into_nested_answers(runtime) -> None:
    answers = [{"density": {"units": "kg/m3", "value": 1.2e-12}, "meta": [1]}]
    chosen = runtime.outputs.choose_outputs(answers)
    assert chosen == [
        {"step": 0, "pointer": "/density/units", "value": "kg/m3"},
        {"step": 0, "pointer": "/density/value", "value": 1.2e-12},
    ]


def test_a_first_person_ask_never_says_show_me(runtime) -> None:
    """ "I need to show me the pets" is no sentence: after "I need to" or
    "Could you help me" the user sees or gets them."""
    phraser, Move = _phraser(runtime), runtime.phrasing.Move
    moves = [Move("findPets", {}), Move("getPetById", {}, refers=True)]
    texts = {phraser.instruction(moves, [], f"k{i}") for i in range(200)}
    firsts = [t for t in texts if re.search(r"(to|help me) (see|get) the pets", t)]
    assert firsts  # the case arises: a list first, in the first person
    for text in texts:
        assert not re.search(r"(to|help me) (show|get) me\b", text), text


def test_an_action_speaks_of_its_paths_item_and_answers_with_its_own(runtime) -> None:
    """A book's checkout makes a loan, but the user checks out the book; a
    ticket's exchange answers an access token, whose ID the user asks for;
    an owner's list is "its books"."""
    operations = {
        "create_book": {"role": "create", "resource": "books", "path": "/books"},
        "list_author_books": {
            "role": "list",
            "resource": "books",
            "owner": "authors",
            "path": "/authors/{authorId}/books",
        },
        "create_author": {"role": "create", "resource": "authors", "path": "/authors"},
        "checkout_book": {
            "role": "action",
            "produces": "loans",
            "owner": "books",
            "path": "/books/{bookId}/checkout",
            "summary": "Check a book out (creates a Loan)",
        },
        "exchangeTicket": {
            "role": "action",
            "owner": "tickets",
            "path": "/tickets/{ticket_id}/exchange",
            "answers": "accessToken",
        },
        "createTicket": {"role": "create", "resource": "tickets", "path": "/tickets"},
    }
    phraser, Move = _phraser_over(runtime, operations, "Books")
    text = phraser.instruction(
        [
            Move("create_author", {"body": {"name": "Ann"}}),
            Move("list_author_books", {}, refers=True),
            Move("create_book", {"body": {"title": "Dune"}}),
            Move("checkout_book", {"body": {"days": 3}}, refers=True),
        ],
        [],
        "k3",
    )
    assert "its books" in text and "check it out with days 3" in text, text
    assert "(creates" not in text and "for that loan" not in text, text
    asked = phraser.instruction(
        [Move("createTicket", {}), Move("exchangeTicket", {}, refers=True)],
        [{"step": 1, "pointer": "/id", "value": "a1"}],
        "k4",
    )
    assert "exchange it" in asked and "the access token's ID" in asked, asked
    operations["exchangeTicket"]["answers"] = "ExchangeTicketForAccessTokenResponse"
    operations["getQuote"] = {
        "role": "action",
        "path": "/q",
        "answers": "GetQuoteResponse",
    }
    phraser, _ = _phraser_over(runtime, operations, "Books")  # a mouthful: "the result"
    asked = phraser.instruction(
        [Move("createTicket", {}), Move("exchangeTicket", {}, refers=True)],
        [{"step": 1, "pointer": "/id", "value": "a1"}],
        "k4",
    )
    assert "the result's ID" in asked, asked
    quote = phraser.instruction(
        [Move("getQuote", {})], [{"step": 0, "pointer": "/price", "value": 3}], "k5"
    )
    assert "the quote's price" in quote, quote


def test_an_action_bound_through_a_query_speaks_of_what_it_names(runtime) -> None:
    """Uber's time estimates take a `product_id` from the products listed:
    "get the time estimates for it", not "for that time"."""
    assert runtime.phrasing.about(["/product_id"]) == "product"
    assert runtime.phrasing.about(["/body/petId"]) == "pet"
    assert runtime.phrasing.about(["/id"]) == ""
    operations = {
        "get__products": {"role": "list", "resource": "products", "path": "/products"},
        "get__estimates_time": {"role": "action", "path": "/estimates/time"},
        "get__me": {"role": "action", "path": "/me"},
    }
    phraser, Move = _phraser_over(runtime, operations, "Uber")
    text = phraser.instruction(
        [
            Move("get__products", {}),
            Move("get__estimates_time", {}, refers=True, about="product"),
        ],
        [],
        "k6",
    )
    assert text.endswith("get the estimates time for that product."), text
    alone = phraser.instruction(
        [Move("get__estimates_time", {}, refers=True, about="product")], [], "k6"
    )
    assert alone.endswith("get the estimates time for that product."), alone


def test_an_output_named_for_its_owner_says_the_field_alone(runtime) -> None:
    """Google's forms answer `formId`: "the new form's ID", not "form ID"."""
    operations = {
        "forms_create": {"role": "create", "resource": "forms", "path": "/v1/forms"}
    }
    phraser, Move = _phraser_over(runtime, operations, "Forms")
    text = phraser.instruction(
        [Move("forms_create", {"body": {"title": "X"}})],
        [{"step": 0, "pointer": "/formId", "value": "a1"}],
        "k1",
    )
    assert "the new form's ID" in text and "form ID" not in text, text


def test_an_item_taken_from_a_list_is_the_one_listed(runtime) -> None:
    """After "delete it; list the offer delegations", "change it" would mean
    the deleted one: the item the list answered is "the one listed"."""
    operations = {
        "create": {"role": "create", "resource": "delegations", "path": "/d"},
        "delete": {"role": "delete", "resource": "delegations", "path": "/d/{id}"},
        "list": {"role": "list", "resource": "delegations", "path": "/d"},
        "update": {"role": "update", "resource": "delegations", "path": "/d/{id}"},
    }
    phraser, Move = _phraser_over(runtime, operations, "Offers")
    text = phraser.instruction(
        [
            Move("create", {"body": {"name": "a"}}),
            Move("delete", {}, refers=True),
            Move("list", {}),
            Move("update", {"body": {"note": "x"}}, refers=True),
        ],
        [],
        "k7",
    )
    assert "the one listed" in text and len(re.findall(r"\bit\b", text)) == 1, text


@pytest.mark.parametrize(
    "doing, subject, target, said",
    [
        ("check a book out", "book", "that book", "check that book out"),
        # a compound noun is said whole as the item (fire.com's mandates,
        # Docker Hub's tags): not "cancel a direct debit it"
        ("cancel a direct debit mandate", "mandate", "it", "cancel it"),
        ("check repository tag", "tag", "that tag", "check that tag"),
        ("exchange ticket", "ticket", "it", "exchange it"),
        # the item is not the object: the phrase is kept, "for it" added
        ("update a direct debit mandate alias", "mandate", "it", ""),
    ],
)
def test_an_action_says_its_item_in_place_of_its_object(
    runtime, doing, subject, target, said
) -> None:
    assert runtime.phrasing._acting_on(doing, subject, target) == said


@pytest.mark.parametrize(
    ("operation", "path", "expected"),
    [
        (
            "localservices_detailedLeadReports_search",
            "/v1/detailedLeadReports:search",
            "search the detailed lead reports",
        ),
        ("iam_getIamPolicy", "/v1/{resource}:getIamPolicy", "get the IAM policy"),
        ("forms_watches_renew", "/v1/forms/{f}/watches/{w}:renew", "renew the watch"),
    ],
)
def test_a_google_custom_method_without_a_summary_says_its_verb(
    runtime, operation, path, expected
) -> None:
    """Not "localservices detailed lead reports search" (its operationId)."""
    assert runtime.wording.verb_phrase("", operation, path) == expected


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("crlData", "CRL data"),
        ("trustAnchorArn", "trust anchor ARN"),
        ("validSkus", "valid SKUs"),
        ("vpc_id", "VPC ID"),
    ],
)
def test_acronyms_are_said_as_acronyms(runtime, name, said) -> None:
    """Not "a new crl named ..." (AWS IAM Roles Anywhere)."""
    assert runtime.wording.label(name) == said


def test_an_output_of_a_listed_item_says_which_item(runtime) -> None:
    """The SMS Works: "send a batch, then get unread messages. Tell me the
    message's ID" named no message; an item of a list is named by its place."""
    phraser, Move = _phraser(runtime), runtime.phrasing.Move
    moves = [Move("findPets", {})]
    outputs = [
        {"step": 0, "pointer": "/0/id", "value": 7},
        {"step": 0, "pointer": "/0/status", "value": "sold"},
    ]
    assert phraser.wanted(outputs, moves) == "the first pet's ID and its status"
    enveloped = [{"step": 0, "pointer": "/value/11/name", "value": "Bo"}]
    assert phraser.wanted(enveloped, moves) == "the 12th pet's name"
    named = [{"step": 0, "pointer": "/countries/0/isoCountryCode", "value": "US"}]
    assert phraser.wanted(named, moves) == "the first country's ISO country code"
    single = [{"step": 0, "pointer": "/id", "value": 7}]
    assert phraser.wanted(single, [Move("getPetById", {})]) == "the pet's ID"
    made = [{"step": 0, "pointer": "/0/id", "value": 7}]  # a create answering a list
    assert phraser.wanted(made, [Move("addPet", {})]) == "the new pet's ID"


@pytest.mark.parametrize(
    "pointer, said",
    [
        ("/CertificateSummaryList/0/CreatedAt", "certificate"),  # AWS ACM
        ("/StreamSummaries/0/StreamName", "stream"),
        ("/job_details/0/id", "job"),
        ("/Tags/0/Key", "tag"),
        ("/value/0/id", None),  # an envelope that names nothing
    ],
)
def test_a_listed_item_is_named_by_its_envelope_less_list_words(
    runtime, pointer, said
) -> None:
    """ "the first certificate summary list's creation time": the items of
    `CertificateSummaryList` are certificates."""
    assert runtime.wording.listed_noun(pointer) == said


@pytest.mark.parametrize(
    "schema, said",
    [
        ("ImportCertificateResponse", "certificate"),  # not "import certificate"
        ("DescribeStreamOutput", "stream"),
        ("GetQuoteResponse", "quote"),
        ("accessToken", "access token"),
        ("OrderItem", "order item"),  # no wire suffix: no operation's answer
        ("ImageToWordsWithLocationResult", "result"),
    ],
)
def test_an_operations_answer_is_named_less_its_verb(runtime, schema, said) -> None:
    assert runtime.phrasing._answer_noun(schema) == said


def test_spec_prose_is_plain_text() -> None:
    """Tool descriptions and wording read the words, not the markup; a
    generic type's angle brackets are no tag."""
    from envfactory_runtime.tasks.prose import plain

    assert (
        plain(
            '<p>Adds <code>Tags</code> &amp; see <a href="https://x">the docs</a>.</p>'
        )
        == "Adds Tags & see the docs."
    )
    assert plain("Returns a **Map<String, Object>** of [pets](https://x)") == (
        "Returns a Map<String, Object> of pets"
    )
    assert plain("<p>One.</p><p>Two.</p>") == "One.\nTwo."
    deprecated = "<important><p>Deprecated.</p></important> <p>Removes tags.</p>"
    assert plain(deprecated) == "Deprecated.\nRemoves tags."  # a tool says it
    assert plain(deprecated, asides=False) == "Removes tags."  # a task does not


def test_an_item_with_one_list_field_is_no_envelope(runtime) -> None:
    """Velo's `getSelf` answers a user with a `roles` list among fifteen fields:
    "the first user's name" named a role ('payor.admin'); the user is the item."""
    user = {
        "id": "u1",
        "email": "a@example.com",
        "firstName": "John",
        "lastName": "Doe",
    }
    answers = [{**user, "roles": [{"name": "payor.admin"}]}]
    chosen = runtime.outputs.choose_outputs(answers)
    assert [c["pointer"] for c in chosen] == ["/id", "/email"]
    listed = [{"value": [{"id": "a"}, {"id": "b"}], "nextLink": "x", "count": 2}]
    assert runtime.outputs.choose_outputs(listed)[0]["pointer"] == "/value/0/id"


def test_an_answers_paging_is_no_output(runtime) -> None:
    """Velo's lists answer `{content, links, page}`: the items are in `content`,
    and "the result's number of elements and its page" (0 and 5, beside two
    items) said nothing about them."""
    answers = [
        {
            "content": [{"payeeId": "p1", "invitationStatus": "ACCEPTED"}],
            "links": [{"href": "https://x.example/next", "rel": "next"}],
            "page": {"numberOfElements": 0, "page": 5},
        }
    ]
    chosen = runtime.outputs.choose_outputs(answers)
    assert [c["pointer"] for c in chosen] == [
        "/content/0/invitationStatus",
        "/content/0/payeeId",
    ]


def test_a_given_key_is_named_for_what_it_names(runtime) -> None:
    """Velo's `/payors/{payorId}/invitationStatus` read "get payee invitation
    status for invitation status 9ac...": the id is the payor's. A path that
    ends in its key, or an action on an item, names that item."""
    import random as _random

    operations = {
        "getInvitationStatus": {
            "role": "action",
            "path": "/v3/payees/payors/{payorId}/invitationStatus",
            "summary": "Get Payee Invitation Status",
        },
        "getBranding": {
            "role": "read",
            "resource": "branding",
            "path": "/v1/payors/{payorId}/branding",
        },
        "getPet": {"role": "read", "resource": "pet", "path": "/pets/{petId}"},
        "uploadImage": {
            "role": "action",
            "owner": "pet",
            "path": "/pets/{petId}/uploadImage",
            "summary": "uploads an image",
        },
    }
    phraser, Move = _phraser_over(runtime, operations, "Payments")
    said = {
        name: phraser.clause(
            Move(name, {key: value}, given=(key,)), _random.Random(1), values=True
        )
        for name, key, value in (
            ("getInvitationStatus", "payorId", "9ac"),
            ("getBranding", "payorId", "9ac"),
            ("getPet", "petId", 5),
            ("uploadImage", "petId", 5),
        )
    }
    assert said["getInvitationStatus"].endswith("for payor ID 9ac")
    assert said["getBranding"].endswith("the branding (payor ID 9ac)")
    assert said["getPet"].endswith("pet 5")
    assert said["uploadImage"] == "upload an image for pet 5"


def test_a_value_after_a_way_of_reading_is_what_it_reads_by(runtime) -> None:
    """CORE's `/journals/get/{issn}` and `/articles/search/{query}` read "find
    journal by ISSN for get 'tundra'", "search ... for search 289"."""
    import random as _random

    operations = {
        "getJournalByIssn": {
            "role": "action",
            "path": "/journals/get/{issn}",
            "summary": "Find journal by ISSN",
        },
        "searchArticles": {
            "role": "action",
            "path": "/articles/search/{query}",
            "summary": "Search through all documents",
        },
    }
    phraser, Move = _phraser_over(runtime, operations, "CORE")
    rng = _random.Random(1)
    issn = Move("getJournalByIssn", {"issn": "tundra"}, given=("issn",))
    query = Move("searchArticles", {"query": 289}, given=("query",))
    assert phraser.clause(issn, rng, values=True).endswith("for ISSN 'tundra'")
    assert phraser.clause(query, rng, values=True).endswith("for query 289")
    assert runtime.wording.path_noun("/journals/get/{issn}") == "journal"

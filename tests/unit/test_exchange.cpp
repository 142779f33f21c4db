// The retry policy around a session: reads retried with backoff (Retry-After honoured), writes never
// repeated blindly, lost answers looked up.

#include "test_helpers.hpp"

#include <upkeep/exchange.hpp>

#include <deque>
#include <map>

using namespace upkeep;

namespace {

// A session that asks for the operations it is given and records the answers it gets.
struct scripted : conversation {
    std::deque<operation> operations;
    std::vector<http_response>* answers;
    bool went_through = false;  // what a check says
    bool absence_proven = true; // whether a check that does not show the write proves it did not go through

    std::optional<operation> next() override {
        if (operations.empty()) return std::nullopt;
        operation op = operations.front();
        operations.pop_front();
        return op;
    }
    void answer(const http_response& response) override { answers->push_back(response); }
    bool applied(const http_response& check) const override { return check.status == 200 && went_through; }
    bool check_proves_absence() const override { return absence_proven; }
    // Interrupted: what is left is dropped, but for a last operation (a lease's release).
    void interrupt(const std::string& why) override {
        interrupted = why;
        operations.clear();
        if (last) operations.push_back(*last);
    }
    std::optional<operation> last;
    std::string interrupted;
};

// A session that gives its reads together, takes answers in order, and stops at the first refusal.
struct batching : conversation {
    std::deque<operation> reads;
    std::size_t out = 0;
    bool stopped = false;
    std::vector<std::string> taken; // "path status", in the order taken

    std::optional<operation> next() override {
        if (stopped || out > 0 || reads.empty()) return std::nullopt;
        ++out;
        return reads.front();
    }
    std::optional<operation> next_alongside() override {
        if (stopped || out == 0 || out >= reads.size()) return std::nullopt;
        return reads[out++];
    }
    bool wants_answers() const override { return out > 0; }
    void answer(const http_response& response) override {
        if (out == 0) return;
        taken.push_back(reads.front().request.path + " " + std::to_string(response.status));
        reads.pop_front();
        --out;
        if (response.status >= 400) {
            stopped = true;
            reads.clear();
            out = 0;
        }
    }
    bool applied(const http_response&) const override { return false; }
    void interrupt(const std::string&) override {}
};

// Runs the exchange; each send is answered by `reply` per request path (a path's replies in turn), and
// `sent_per_step` (when given) caps how many of a step's requests the pump sends. The steps as text.
std::vector<std::string> run_batches(exchange& ex, std::map<std::string, std::deque<http_response>> replies,
                                     std::size_t sent_per_step = 100) {
    std::vector<std::string> steps;
    for (int guard = 0; guard < 100; ++guard) {
        const exchange_step step = ex.next();
        if (step.what == exchange_step::kind::done) return steps;
        if (step.what == exchange_step::kind::wait) {
            steps.push_back("wait " + std::to_string(step.wait_ms));
            continue;
        }
        std::string line = "send";
        std::vector<http_response> answers;
        for (const http_request& r : step.requests) {
            line += " " + r.path;
            if (answers.size() == sent_per_step) continue;
            REQUIRE_MESSAGE(!replies[r.path].empty(), "no reply left for " << r.path);
            answers.push_back(replies[r.path].front());
            replies[r.path].pop_front();
        }
        steps.push_back(line);
        ex.answer(answers);
    }
    FAIL("the exchange does not end");
    return steps;
}

operation read(std::string path) {
    return {{"GET", std::move(path), "", "", -1}, false, std::nullopt, "read"};
}

operation write(std::string path, bool checkable = true) {
    operation op{{"POST", std::move(path), "{}", "application/json", -1}, true, std::nullopt, "write"};
    if (checkable) op.check = http_request{"GET", "/check", "", "", -1};
    return op;
}

http_response status(int code, std::optional<long> retry_after = std::nullopt) {
    http_response r;
    r.status = code;
    r.retry_after = retry_after;
    return r;
}

// Runs the exchange, answering each send with the next of `replies`; returns the steps as text.
std::vector<std::string> run(exchange& ex, std::deque<http_response> replies) {
    std::vector<std::string> steps;
    for (;;) {
        const exchange_step step = ex.next();
        if (step.what == exchange_step::kind::done) break;
        if (step.what == exchange_step::kind::wait) {
            steps.push_back("wait " + std::to_string(step.wait_ms));
            continue;
        }
        REQUIRE_MESSAGE(!replies.empty(), "no reply left for " << step.requests.at(0).method << " "
                                                               << step.requests.at(0).path);
        const http_response reply = replies.front();
        replies.pop_front();
        steps.push_back(step.requests.at(0).method + " " + step.requests.at(0).path + " " +
                        std::to_string(reply.status));
        ex.answer(reply);
    }
    return steps;
}

} // namespace

TEST_CASE("a read that fails for a passing reason is sent again, with doubling delays") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {read("/a")};
    exchange ex(std::move(session), {.max_attempts = 4, .base_delay_ms = 100, .max_delay_ms = 300});
    CHECK(run(ex, {status(0), status(503), status(500), status(200)}) ==
          std::vector<std::string>{"GET /a 0", "wait 100", "GET /a 503", "wait 200", "GET /a 500", "wait 300",
                                   "GET /a 200"});
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 200);
    CHECK(ex.requests() == 4);
}

TEST_CASE("Retry-After is honoured; a longer one than the policy waits for ends the read") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {read("/a"), read("/b")};
    exchange ex(std::move(session), {.max_retry_after_s = 60});
    CHECK(run(ex, {status(429, 7), status(200), status(429, 3600)}) ==
          std::vector<std::string>{"GET /a 429", "wait 7000", "GET /a 200", "GET /b 429"});
    REQUIRE(answers.size() == 2);
    CHECK(answers[1].status == 429);
}

TEST_CASE("a refusal is final: 4xx answers are not retried") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {read("/a"), write("/w")};
    exchange ex(std::move(session));
    CHECK(run(ex, {status(404), status(422)}) == std::vector<std::string>{"GET /a 404", "POST /w 422"});
    CHECK(ex.writes() == 0);
    CHECK(answers.size() == 2);
}

TEST_CASE("a write whose answer is lost is looked up, and not repeated when it went through") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->went_through = true;
    session->operations = {write("/w")};
    exchange ex(std::move(session), {.base_delay_ms = 10});
    CHECK(run(ex, {status(0), status(200)}) ==
          std::vector<std::string>{"POST /w 0", "wait 10", "GET /check 200"});
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].looked_up);
    CHECK(ex.writes() == 1);
}

TEST_CASE("a write that did not go through is sent again after its check") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {write("/w")};
    exchange ex(std::move(session), {.base_delay_ms = 10});
    CHECK(run(ex, {status(500), status(200), status(201)}) ==
          std::vector<std::string>{"POST /w 500", "wait 10", "GET /check 200", "POST /w 201"});
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 201);
    CHECK(!answers[0].looked_up);
}

TEST_CASE(
    "a write whose check proves nothing when it does not show it (a lagging search) is not sent again") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->absence_proven = false;
    session->operations = {write("/w"), write("/after")};
    exchange ex(std::move(session), {.base_delay_ms = 10});
    CHECK(run(ex, {status(500), status(200), status(201)}) ==
          std::vector<std::string>{"POST /w 500", "wait 10", "GET /check 200", "POST /after 201"});
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].status == 500); // the write's failure: the session stops or goes on, as it decides
    CHECK(!answers[0].looked_up);
    CHECK(ex.writes() == 1);
}

TEST_CASE("a write turned away with 429 is sent again as it is, after the wait the tracker asks for") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->absence_proven = false; // no check is needed to know a 429 did nothing
    session->operations = {write("/w"), write("/unchecked", false)};
    exchange ex(std::move(session), {.base_delay_ms = 10});
    http_response limited = status(429);
    limited.retry_after = 2;
    CHECK(run(ex, {limited, status(201), status(429), status(201)}) ==
          std::vector<std::string>{"POST /w 429", "wait 2000", "POST /w 201", "POST /unchecked 429",
                                   "wait 10", "POST /unchecked 201"});
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].status == 201);
    CHECK(answers[1].status == 201);
    CHECK(ex.writes() == 2);
}

TEST_CASE("when even the check cannot be read, the session gets the write's failure") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {write("/w")};
    exchange ex(std::move(session), {.max_attempts = 2, .base_delay_ms = 10});
    CHECK(run(ex, {status(0), status(502), status(502)}) ==
          std::vector<std::string>{"POST /w 0", "wait 10", "GET /check 502", "wait 10", "GET /check 502"});
    REQUIRE(answers.size() == 1);
    CHECK(answers[0].status == 0);
}

TEST_CASE("a write that cannot be checked is never repeated") {
    std::vector<http_response> answers;
    auto session = std::make_unique<scripted>();
    session->answers = &answers;
    session->operations = {write("/w", false)};
    exchange ex(std::move(session));
    CHECK(run(ex, {status(503)}) == std::vector<std::string>{"POST /w 503"});
    CHECK(answers[0].status == 503);
}

TEST_CASE("an interrupted exchange drops the retry under way and sends only the session's last operation") {
    std::vector<http_response> answers;
    auto owned = std::make_unique<scripted>();
    scripted& session = *owned;
    session.answers = &answers;
    session.operations = {write("/a"), read("/b")};
    session.last = read("/release");
    exchange ex(std::move(owned), {.max_attempts = 4, .base_delay_ms = 100, .max_delay_ms = 300});
    REQUIRE(ex.next().requests.at(0).path == "/a");
    ex.answer(status(503)); // lost: its check would come next
    ex.interrupt("interrupted by SIGTERM");
    CHECK(session.interrupted == "interrupted by SIGTERM");
    CHECK(run(ex, {status(204)}) == std::vector<std::string>{"GET /release 204"});
    CHECK(answers.size() == 1);
}

TEST_CASE("reads given together go in one step; each is retried on its own; answers are taken in order") {
    auto owned = std::make_unique<batching>();
    batching& session = *owned;
    session.reads = {read("/a"), read("/b"), read("/c")};
    exchange ex(std::move(owned), {.max_attempts = 3, .base_delay_ms = 100});
    // /b fails once: /a is taken at once, /c waits for /b.
    CHECK(
        run_batches(ex, {{"/a", {status(200)}}, {"/b", {status(503), status(200)}}, {"/c", {status(200)}}}) ==
        std::vector<std::string>{"send /a /b /c", "wait 100", "send /b"});
    CHECK(session.taken == std::vector<std::string>{"/a 200", "/b 200", "/c 200"});
    CHECK(ex.requests() == 4);
}

TEST_CASE("a pump that stops early sends the rest with the next step; a session that stopped wants none") {
    {
        auto owned = std::make_unique<batching>();
        batching& session = *owned;
        session.reads = {read("/a"), read("/b"), read("/c")};
        exchange ex(std::move(owned));
        CHECK(run_batches(ex, {{"/a", {status(200)}}, {"/b", {status(200)}}, {"/c", {status(200)}}}, 1) ==
              std::vector<std::string>{"send /a /b /c", "send /b /c", "send /c"});
        CHECK(session.taken == std::vector<std::string>{"/a 200", "/b 200", "/c 200"});
    }
    {
        // The first answer stops the session: /b's retry and /c are dropped, not sent again.
        auto owned = std::make_unique<batching>();
        batching& session = *owned;
        session.reads = {read("/a"), read("/b"), read("/c")};
        exchange ex(std::move(owned), {.max_attempts = 3, .base_delay_ms = 100});
        CHECK(run_batches(ex, {{"/a", {status(401)}}, {"/b", {status(503)}}, {"/c", {status(200)}}}) ==
              std::vector<std::string>{"send /a /b /c"});
        CHECK(session.taken == std::vector<std::string>{"/a 401"});
    }
}

#pragma once
// The conversation with a tracker, without I/O: a session (one per job: sync, status, change prompt, ...)
// decides every request, reads and writes alike, and how each write is verified; the exchange around it
// holds the one retry policy; the pumps (the CLI's cpp-httplib, the browser's fetch) only carry requests
// and answers, and wait when told to. So the CLI and the browser read, write, retry and stop the same way.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace upkeep {

/// One request of a tracker's REST API.
struct http_request {
    std::string method;       // GET, POST, PUT, DELETE
    std::string path;         // below the tracker's address, query included
    std::string body;         // JSON text, or the bytes to upload; empty for none
    std::string content_type; // "application/json", "application/octet-stream", or "" without a body
    int file =
        -1; // an upload of the caller's file number `file` (the browser's chosen files) instead of body
};

/// A tracker's answer, as the pump received it.
struct http_response {
    int status = 0;                  // 0: no answer (connection refused or reset, timed out)
    std::string body;                // as received
    std::optional<long> retry_after; // seconds, from a Retry-After header
    std::string error;               // status 0: what the connection said
    std::string location;            // 3xx: the Location header (no redirect is followed)
    bool looked_up = false; // the answer of a write's check: the write went through, its answer was lost
};

/// When to try again: connection failures, 429 and 5xx, with exponential backoff that honours Retry-After.
struct retry_policy {
    int max_attempts = 6;         // per request
    long base_delay_ms = 500;     // doubled each retry
    long max_delay_ms = 8000;     // at most this between attempts
    long max_retry_after_s = 120; // a longer Retry-After is not waited for: the run stops
};

/// One operation a session asks for: a read, or a write with how to learn whether it went through.
struct operation {
    http_request request;
    bool write = false;
    std::optional<http_request> check; // a write whose answer is lost is looked up so; none: never repeated
    std::string label;                 // for progress: "create control:access-review:2027-03-31"
};

/// What a tracker session implements (each host has its own): it decides the operations. A write goes
/// alone; reads that do not depend on each other may go together, answered in the order they were given.
class conversation {
public:
    virtual ~conversation() = default;
    /// The next operation, or none once the session has finished.
    virtual std::optional<operation> next() = 0;
    /// After a read from next(): another read to send at the same time, or none.
    virtual std::optional<operation> next_alongside() { return std::nullopt; }
    /// Whether answers to reads given are still wanted (a session that stopped wants none).
    virtual bool wants_answers() const { return true; }
    /// The final answer of the oldest operation given and not answered yet: a success, a refusal, or a
    /// failure retries did not overcome.
    virtual void answer(const http_response& response) = 0;
    /// For a write whose answer was lost, the answer of its check: whether the write went through (the
    /// session is then answered with the check's answer, `looked_up` set).
    virtual bool applied(const http_response& check) const = 0;
    /// Whether a check that does not show the write proves that it did not go through, so that the write
    /// may be sent again; not for a tracker whose search lags behind its writes.
    virtual bool check_proves_absence() const { return true; }
    /// The user stopped the run: end as soon as possible, giving back what the session holds in the
    /// tracker (the sync releases its lease) with its last operations.
    virtual void interrupt(const std::string& why) = 0;
};

/// What a pump does next.
struct exchange_step {
    enum class kind { send, wait, done };
    kind what = kind::done;
    /// send: one request, or several reads to send at once (in parallel where the pump can), whose
    /// answers come back in this order.
    std::vector<http_request> requests;
    long wait_ms = 0; // wait, then ask again
    /// send: the (first) operation's label; wait: what failed ("GET /issues.json: HTTP 503").
    std::string label;
};

/// Runs a session with the retry policy. A read that fails for a passing reason (no answer, 429, 5xx) is
/// sent again after a delay; a write is never sent twice blindly (a 429, which turned it away unread, aside):
/// its check is read first, and the write is repeated only when the check shows it did not go through (when
/// even the check cannot be read, the session gets the failure and stops, and the next run finishes the job).
class exchange {
public:
    explicit exchange(std::unique_ptr<conversation> session, retry_policy policy = {});

    /// Send a request, wait, or done.
    exchange_step next();
    /// The answers to the requests of the last `send` step, in their order. A pump may stop early (one read
    /// failed for good, the run is stopping): the requests it did not send are sent again with the next
    /// step, if the session still wants them.
    void answer(const std::vector<http_response>& responses);
    /// The answer to the one request of the last `send` step.
    void answer(const http_response& response) { answer(std::vector<http_response>{response}); }
    /// Between two steps: the operation under way is dropped (a run stopped there is finished by the next,
    /// like a killed one) and the session is interrupted; its last operations follow.
    void interrupt(const std::string& why);

    conversation& session() { return *session_; }
    const conversation& session() const { return *session_; }
    std::size_t requests() const { return requests_; } // requests sent
    std::size_t writes() const { return writes_; }     // writes that went through

    /// Whether an answer is one to try again: no answer, 429 Too Many Requests, or a 5xx.
    static bool passing(const http_response& response);

private:
    enum class phase { idle, reading, sending, checking };
    /// A read of the batch under way: its attempts, and its final answer once it has one.
    struct read_slot {
        operation op;
        int attempt = 1;
        std::optional<http_response> final;
    };
    void answer_reads(const std::vector<http_response>& responses);
    void answer_write(const http_response& response);
    static std::string failed_text(const http_request& sent, const http_response& response);
    /// How long to wait before attempt `attempt` + 1; none when the tracker asks for longer than the policy
    /// waits.
    std::optional<long> delay(const http_response& failed, int attempt) const;
    void finish(const http_response& response);

    std::unique_ptr<conversation> session_;
    retry_policy policy_;
    phase phase_ = phase::idle;
    operation current_;            // the write under way
    std::vector<read_slot> reads_; // the reads under way, answered to the session in order
    std::size_t delivered_ = 0;    // of reads_, answered to the session
    int attempt_ = 0;              // of the current operation's request
    int check_attempt_ = 0;        // of its check
    long wait_ms_ = 0;             // to wait before the next send
    std::string waiting_for_;      // what failed, for the wait step
    http_response lost_;           // a write's failure, while its check is read
    std::size_t requests_ = 0, writes_ = 0;
};

} // namespace upkeep

// The retry policy around a tracker session.
//
// Design note. The states: idle (ask the session for its next operation), reading (a batch of reads is
// out), sending (a write is out), checking (a write's answer was lost; its check is out). The session
// gives reads that do not depend on each other together; the pump may send them at once, and each gets
// its own retries: a read that fails for a passing reason is sent again after a delay (doubling from the
// base, or what Retry-After says), up to the attempts the policy allows; then the session gets the
// failure (an upload, repeated as freely, goes this way alone). The session takes the answers in the order
// it gave the reads, so an answer waits for those before it; the batch is done when every read is answered
// (or the session, stopped by one, wants no more), and only then is the session asked again. A pump that
// sends the reads one by one may stop early; those it did not send go with the next step. A write goes
// alone, and one that fails so is never sent again blindly (but for a 429, which says the tracker turned
// it away unread: it waits as told and is sent again): the exchange reads its check
// (retrying that read the same way); when the check shows the write went through, the session gets the
// check's answer as the write's; when it shows it did not, the write is sent again (its own attempts
// count), unless the session says such a check proves nothing (a search that lags behind the tracker's
// writes): then the session gets the write's failure, as when the check cannot be read;
// when the check cannot be read, the session gets the write's failure and stops, and the next
// run, which reads everything first, finishes the job.

#include "upkeep/exchange.hpp"

#include <algorithm>
#include <utility>

namespace upkeep {

exchange::exchange(std::unique_ptr<conversation> session, retry_policy policy)
    : session_(std::move(session)), policy_(policy) {}

bool exchange::passing(const http_response& response) {
    return response.status == 0 || response.status == 429 ||
           (response.status >= 500 && response.status <= 599);
}

std::optional<long> exchange::delay(const http_response& failed, int attempt) const {
    if (failed.retry_after) {
        if (*failed.retry_after > policy_.max_retry_after_s) return std::nullopt;
        return std::max(0L, *failed.retry_after) * 1000;
    }
    long wait = policy_.base_delay_ms;
    for (int i = 1; i < attempt && wait < policy_.max_delay_ms; ++i)
        wait *= 2;
    return std::min(wait, policy_.max_delay_ms);
}

void exchange::interrupt(const std::string& why) {
    phase_ = phase::idle;
    wait_ms_ = 0;
    reads_.clear();
    session_->interrupt(why);
}

std::string exchange::failed_text(const http_request& sent, const http_response& response) {
    return sent.method + " " + sent.path.substr(0, sent.path.find('?')) + ": " +
           (response.status          ? "HTTP " + std::to_string(response.status)
            : response.error.empty() ? std::string("no answer")
                                     : response.error);
}

exchange_step exchange::next() {
    if (phase_ == phase::idle) {
        std::optional<operation> op = session_->next();
        if (!op) return {};
        wait_ms_ = 0;
        if (op->write) {
            current_ = std::move(*op);
            phase_ = phase::sending;
            attempt_ = 1;
        } else {
            reads_.clear();
            delivered_ = 0;
            reads_.push_back({std::move(*op)});
            while (std::optional<operation> more = session_->next_alongside())
                reads_.push_back({std::move(*more)});
            phase_ = phase::reading;
        }
    }
    if (wait_ms_ > 0) {
        exchange_step wait;
        wait.what = exchange_step::kind::wait;
        wait.wait_ms = std::exchange(wait_ms_, 0);
        wait.label = waiting_for_;
        return wait;
    }
    exchange_step send;
    send.what = exchange_step::kind::send;
    if (phase_ == phase::reading) {
        for (const read_slot& r : reads_)
            if (!r.final) {
                if (send.requests.empty()) send.label = r.op.label;
                send.requests.push_back(r.op.request);
            }
    } else {
        send.requests.push_back(phase_ == phase::checking ? *current_.check : current_.request);
        send.label = current_.label;
    }
    requests_ += send.requests.size();
    return send;
}

void exchange::finish(const http_response& response) {
    phase_ = phase::idle;
    session_->answer(response);
}

void exchange::answer(const std::vector<http_response>& responses) {
    if (phase_ == phase::reading) return answer_reads(responses);
    if (phase_ == phase::sending || phase_ == phase::checking)
        answer_write(responses.empty() ? http_response{} : responses.front());
}

void exchange::answer_reads(const std::vector<http_response>& responses) {
    std::size_t given = 0;
    long wait = 0;
    for (read_slot& r : reads_) {
        if (r.final) continue;
        if (given == responses.size()) break; // not sent: with the next step
        const http_response& response = responses[given++];
        if (passing(response)) {
            const auto delay_ms =
                r.attempt < policy_.max_attempts ? delay(response, r.attempt) : std::nullopt;
            if (delay_ms) {
                ++r.attempt;
                if (wait == 0) waiting_for_ = failed_text(r.op.request, response);
                wait = std::max(wait, *delay_ms);
                continue;
            }
        }
        r.final = response;
    }
    while (delivered_ < reads_.size() && reads_[delivered_].final)
        session_->answer(*reads_[delivered_++].final);
    if (delivered_ == reads_.size() || !session_->wants_answers()) {
        phase_ = phase::idle;
        reads_.clear();
    } else {
        wait_ms_ = wait;
    }
}

void exchange::answer_write(const http_response& response) {
    const http_request& sent = phase_ == phase::checking ? *current_.check : current_.request;
    waiting_for_ = failed_text(sent, response);
    if (phase_ == phase::sending) {
        if (!passing(response)) {
            if (response.status >= 200 && response.status < 300) ++writes_;
            return finish(response);
        }
        const auto wait = attempt_ < policy_.max_attempts ? delay(response, attempt_) : std::nullopt;
        // 429: the tracker turned the request away unread (RFC 6585), so it is sent again as it is.
        if (wait && response.status == 429) {
            ++attempt_;
            wait_ms_ = *wait;
            return;
        }
        if (!wait || !current_.check) return finish(response);
        wait_ms_ = *wait;
        lost_ = response;
        phase_ = phase::checking;
        check_attempt_ = 1;
        return;
    }
    if (passing(response)) {
        const auto wait =
            check_attempt_ < policy_.max_attempts ? delay(response, check_attempt_) : std::nullopt;
        if (!wait) return finish(lost_);
        ++check_attempt_;
        wait_ms_ = *wait;
        return;
    }
    if (session_->applied(response)) {
        ++writes_;
        http_response looked = response;
        looked.looked_up = true;
        return finish(looked);
    }
    // It did not go through: send it again (the wait came before the check); unless the tracker cannot
    // tell (its search lags behind its writes): then the session gets the failure, and a later run, which
    // reads everything first, finds the write or makes it.
    if (!session_->check_proves_absence() || ++attempt_ > policy_.max_attempts) return finish(lost_);
    phase_ = phase::sending;
}

} // namespace upkeep

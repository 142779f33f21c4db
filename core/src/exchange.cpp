// The retry policy around a tracker session.
//
// Design note. The states: idle (ask the session for its next operation), sending (its request is out),
// checking (a write's answer was lost; its check is out). A read that fails for a passing reason is sent
// again after a delay (doubling from the base, or what Retry-After says), up to the attempts the policy
// allows; then the session gets the failure. A write that fails so is never sent again blindly: the
// exchange reads its check (retrying that read the same way); when the check shows the write went
// through, the session gets the check's answer as the write's; when it shows it did not, the write is
// sent again (its own attempts count); when the check cannot be read, the session gets the write's failure
// and stops, and the next run, which reads everything first, finishes the job.

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
    session_->interrupt(why);
}

exchange_step exchange::next() {
    if (phase_ == phase::idle) {
        std::optional<operation> op = session_->next();
        if (!op) return {};
        current_ = std::move(*op);
        phase_ = phase::sending;
        attempt_ = 1;
        wait_ms_ = 0;
    }
    if (wait_ms_ > 0) {
        exchange_step wait;
        wait.what = exchange_step::kind::wait;
        wait.wait_ms = std::exchange(wait_ms_, 0);
        wait.label = waiting_for_;
        return wait;
    }
    ++requests_;
    exchange_step send;
    send.what = exchange_step::kind::send;
    send.request = phase_ == phase::checking ? *current_.check : current_.request;
    send.label = current_.label;
    return send;
}

void exchange::finish(const http_response& response) {
    phase_ = phase::idle;
    session_->answer(response);
}

void exchange::answer(const http_response& response) {
    const http_request& sent = phase_ == phase::checking ? *current_.check : current_.request;
    waiting_for_ = sent.method + " " + sent.path.substr(0, sent.path.find('?')) + ": " +
                   (response.status          ? "HTTP " + std::to_string(response.status)
                    : response.error.empty() ? std::string("no answer")
                                             : response.error);
    if (phase_ == phase::sending) {
        if (!passing(response)) {
            if (current_.write && response.status >= 200 && response.status < 300) ++writes_;
            return finish(response);
        }
        const auto wait = attempt_ < policy_.max_attempts ? delay(response, attempt_) : std::nullopt;
        if (!wait || (current_.write && !current_.check)) return finish(response);
        wait_ms_ = *wait;
        if (!current_.write) {
            ++attempt_;
            return;
        }
        lost_ = response;
        phase_ = phase::checking;
        check_attempt_ = 1;
        return;
    }
    if (phase_ != phase::checking) return;
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
    // It did not go through: send it again (the wait came before the check).
    if (++attempt_ > policy_.max_attempts) return finish(lost_);
    phase_ = phase::sending;
}

} // namespace upkeep

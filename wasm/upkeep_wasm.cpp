// The WebAssembly boundary: the one file that knows about embind. Every call is coarse, takes JSON
// text and returns JSON text; failures come back as {"error": "..."}, never as a trap or an exception
// crossing into JavaScript. web/core/upkeep-core.js is the typed facade over these raw bindings.

#include <upkeep/json_api.hpp>

#include <emscripten/bind.h>

#include <exception>
#include <string>

namespace {

template <typename Call> std::string guarded(Call&& call) {
    try {
        return call();
    } catch (const std::exception& e) {
        return std::string(R"({"error":"internal error in the Upkeep core: )") + e.what() + "\"}";
    } catch (...) {
        return R"({"error":"internal error in the Upkeep core"})";
    }
}

std::string version() {
    return R"({"version":"0.1.0"})";
}

std::string expand(const std::string& request) {
    return guarded([&] { return upkeep::json_api::expand(request); });
}

std::string validate(const std::string& config) {
    return guarded([&] { return upkeep::json_api::validate(config); });
}

std::string calendar(const std::string& config, const std::string& request) {
    return guarded([&] { return upkeep::json_api::calendar(config, request); });
}

std::string control_task(const std::string& config, const std::string& key) {
    return guarded([&] { return upkeep::json_api::control_task(config, key); });
}

std::string configuration_from_wiki(const std::string& wiki_text) {
    return guarded([&] { return upkeep::json_api::configuration_from_wiki(wiki_text); });
}

std::string configuration_to_wiki(const std::string& request) {
    return guarded([&] { return upkeep::json_api::configuration_to_wiki(request); });
}

// A sync session object: JavaScript must call delete() when done (web/redmine/redmine-sync.js does).
class sync_session {
public:
    explicit sync_session(const std::string& request) : sync_(request) {}
    std::string step() const {
        return guarded([&] { return sync_.step(); });
    }
    void answer(const std::string& body) {
        guarded([&] {
            sync_.answer(body);
            return std::string();
        });
    }
    bool already_applied(int index, const std::string& body) const {
        return sync_.already_applied(index, body);
    }

private:
    upkeep::json_api::redmine_sync sync_;
};

// A change prompt session object: JavaScript must call delete() when done.
class change_session {
public:
    explicit change_session(const std::string& request) : prompt_(request) {}
    std::string step() const {
        return guarded([&] { return prompt_.step(); });
    }
    void answer(const std::string& body) {
        guarded([&] {
            prompt_.answer(body);
            return std::string();
        });
    }
    void reread() {
        guarded([&] {
            prompt_.reread();
            return std::string();
        });
    }

private:
    upkeep::json_api::change_prompt prompt_;
};

} // namespace

EMSCRIPTEN_BINDINGS(upkeep_core) {
    emscripten::function("version", &version);
    emscripten::function("expand", &expand);
    emscripten::function("validate", &validate);
    emscripten::function("calendar", &calendar);
    emscripten::function("controlTask", &control_task);
    emscripten::function("configurationFromWiki", &configuration_from_wiki);
    emscripten::function("configurationToWiki", &configuration_to_wiki);
    emscripten::class_<sync_session>("SyncSession")
        .constructor<const std::string&>()
        .function("step", &sync_session::step)
        .function("answer", &sync_session::answer)
        .function("alreadyApplied", &sync_session::already_applied);
    emscripten::class_<change_session>("ChangeSession")
        .constructor<const std::string&>()
        .function("step", &change_session::step)
        .function("answer", &change_session::answer)
        .function("reread", &change_session::reread);
}

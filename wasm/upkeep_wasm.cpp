// The WebAssembly boundary: the one file that knows about embind. Every call is coarse, takes JSON
// text and returns JSON text; problems come back as {"error": "..."}. web/core/upkeep-core.js is the
// typed facade over these raw bindings (it also turns an abort of the module into an error message).

#include <upkeep/json_api.hpp>

#include <emscripten/bind.h>

#include <string>

namespace {

std::string version() {
    return R"({"version":"0.1.0"})";
}

std::string expand(const std::string& request) {
    return upkeep::json_api::expand(request);
}

std::string validate(const std::string& config) {
    return upkeep::json_api::validate(config);
}

std::string calendar(const std::string& config, const std::string& request) {
    return upkeep::json_api::calendar(config, request);
}

std::string control_task(const std::string& config, const std::string& key) {
    return upkeep::json_api::control_task(config, key);
}

std::string configuration_from_wiki(const std::string& wiki_text) {
    return upkeep::json_api::configuration_from_wiki(wiki_text);
}

std::string configuration_to_wiki(const std::string& request) {
    return upkeep::json_api::configuration_to_wiki(request);
}

// A sync session object: JavaScript must call delete() when done (web/redmine/redmine-sync.js does).
class sync_session {
public:
    explicit sync_session(const std::string& request) : sync_(request) {}
    std::string step() const { return sync_.step(); }
    void answer(const std::string& body) { sync_.answer(body); }
    bool already_applied(int index, const std::string& body) const {
        return sync_.already_applied(index, body);
    }
    std::string status(const std::string& request) const { return sync_.status(request); }
    std::string export_file(const std::string& request) const { return sync_.export_file(request); }

private:
    upkeep::json_api::redmine_sync sync_;
};

// A change prompt session object: JavaScript must call delete() when done.
class change_session {
public:
    explicit change_session(const std::string& request) : prompt_(request) {}
    std::string step() const { return prompt_.step(); }
    void answer(const std::string& body) { prompt_.answer(body); }
    void reread() { prompt_.reread(); }

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
        .function("alreadyApplied", &sync_session::already_applied)
        .function("status", &sync_session::status)
        .function("exportFile", &sync_session::export_file);
    emscripten::class_<change_session>("ChangeSession")
        .constructor<const std::string&>()
        .function("step", &change_session::step)
        .function("answer", &change_session::answer)
        .function("reread", &change_session::reread);
}

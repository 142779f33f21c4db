# The page scripts a page's entry module imports, all the way down, so that the page can ask for every one
# of them at once (<link rel="modulepreload">) instead of the browser finding them one import level at a
# time: on the ISMS tab, five levels, each a round trip before the next. Read from the plugin's own
# scripts (assets/javascripts, which Redmine mirrors to plugin_assets), once per entry and process.
module Upkeep
  module PageModules
    ROOT = File.expand_path('../../assets/javascripts', __dir__)
    # `import ... from './x.js'`, `export ... from './x.js'` and `import './x.js'`: the scripts' only forms of
    # static import. The core's glue is imported by its address at run time, and preloaded on its own.
    IMPORT = /^\s*(?:import|export)\b(?:[^;'"]*?\bfrom\s*|\s*)['"](\.{1,2}\/[^'"]+)['"]/m.freeze
    @graphs = {}
    @lock = Mutex.new

    # The paths under javascripts/ that `entry` (e.g. "redmine/isms-tab.js") imports, directly or not, in
    # the order they are first met; not the entry itself.
    def self.imported_by(entry)
      @lock.synchronize { @graphs[entry] ||= walk(entry).freeze }
    end

    def self.walk(entry)
      seen = [entry]
      seen.each do |path| # grows as it goes: breadth first
        file = File.join(ROOT, path)
        next unless File.file?(file)

        File.read(file).scan(IMPORT) do |(target)|
          resolved = File.expand_path(target, File.dirname(file)).delete_prefix("#{ROOT}/")
          seen << resolved unless seen.include?(resolved) || resolved.start_with?('/')
        end
      end
      seen.drop(1)
    end
  end
end

get 'projects/:project_id/isms', to: 'upkeep_isms#show', as: 'project_upkeep_isms'
get 'projects/:project_id/isms/calendar.:format', to: 'upkeep_feeds#calendar', constraints: { format: 'ics' },
                                                   as: 'project_upkeep_calendar'
get 'issues/:id/upkeep_lock', to: 'upkeep_locks#show', constraints: { id: /\d+/ }
get 'projects/:project_id/upkeep_configuration_trust', to: 'upkeep_configuration_trust#show'
match 'upkeep/rest/*path', to: 'upkeep_rest#relay', via: %i[get post put delete], format: false
get 'projects/:project_id/upkeep_issues', to: 'upkeep_issues#index'

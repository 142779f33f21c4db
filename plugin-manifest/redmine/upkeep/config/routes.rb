get 'projects/:project_id/isms', to: 'upkeep_isms#show', as: 'project_upkeep_isms'
get 'issues/:id/upkeep_lock', to: 'upkeep_locks#show', constraints: { id: /\d+/ }

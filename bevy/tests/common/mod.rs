//! What the plugin's tests share: a headless app and a reader of deaths.

#![allow(dead_code, reason = "each test binary uses a part")]

use bevy_app::{App, Update};
use bevy_ecs::entity::Entity;
use bevy_ecs::message::MessageReader;
use bevy_ecs::resource::Resource;
use bevy_ecs::system::ResMut;
use weakarena_bevy::{EntityDeaths, EntityWeak, FrameFigures, WeakArenaPlugin};

/// Every `EntityDeaths` message read, in order, by a system in `Update`.
#[derive(Resource, Default)]
pub struct Seen {
    pub messages: Vec<(Vec<(EntityWeak, Entity)>, FrameFigures)>,
}

impl Seen {
    pub fn entities(&self) -> Vec<Entity> {
        self.messages.iter().flat_map(|(dead, _)| dead.iter().map(|(_, entity)| *entity)).collect()
    }
}

fn read_deaths(mut reader: MessageReader<EntityDeaths>, mut seen: ResMut<Seen>) {
    for message in reader.read() {
        seen.messages.push((message.entities.clone(), message.figures.clone()));
    }
}

/// A headless app with the plugin in `Last` and the reader in `Update`.
pub fn app() -> App {
    let mut app = App::new();
    app.add_plugins(WeakArenaPlugin::default()).init_resource::<Seen>().add_systems(Update, read_deaths);
    app
}

pub fn exists(app: &App, entity: Entity) -> bool {
    app.world().get_entity(entity).is_ok()
}

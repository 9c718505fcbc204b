"""All routers, in the order they are tried. Built anew for every Dispatcher."""

from aiogram import Router

from bot.dialogs import build_dialogs_router
from bot.handlers import (
    application,
    broadcast,
    browse,
    fallback,
    group_guard,
    hr,
    hr_tools,
    privacy,
    questionnaire,
    start,
    subscriptions,
)
from bot.handlers.routing import gate_callbacks


def build_root_router() -> Router:
    root = Router(name="root")
    routers = (
        group_guard.create_router(),  # applicants' commands never answered in a group
        start.create_router(),
        # /privacy, /delete_me and /my work in the middle of any conversation.
        privacy.create_router(),
        application.create_commands_router(),
        subscriptions.create_router(),  # /subscribe, /unsubscribe work anywhere
        build_dialogs_router(),  # the dialogs' buttons and inputs (bot/dialogs)
        questionnaire.create_router(),
        hr_tools.create_router(),  # before browse: HR's /vacancies is the board
        broadcast.create_router(),  # HR's composer: before browse takes typed text
        browse.create_router(),
        hr.create_router(),
        application.create_router(),  # after browse: /vacancies works in the form
        fallback.create_router(),
    )
    root.include_routers(*(gate_callbacks(router) for router in routers))
    return root

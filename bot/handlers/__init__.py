"""All routers, in the order they are tried. Built anew for every Dispatcher."""

from aiogram import Router

from bot.dialogs import build_dialogs_router
from bot.handlers import (
    application,
    booking,
    broadcast,
    browse,
    conversation,
    fallback,
    group_guard,
    hr,
    hr_tools,
    privacy,
    questionnaire,
    slots,
    start,
    subscriptions,
)
from bot.handlers.navigation import entry_points
from bot.handlers.routing import gate_callbacks


def build_root_router() -> Router:
    root = Router(name="root")
    routers = (
        group_guard.create_router(),  # applicants' commands never answered in a group
        # entry_points: their handlers start something new, so the flow in progress ends
        # first (bot.handlers.navigation); the rest are steps of a flow.
        entry_points(start.create_router()),
        # /privacy, /delete_me and /my: look-ups in the middle of any conversation, which
        # goes on after them.
        privacy.create_router(),
        application.create_commands_router(),
        entry_points(subscriptions.create_router()),  # /subscribe, /unsubscribe anywhere
        build_dialogs_router(),  # the dialogs' buttons and inputs (bot/dialogs)
        questionnaire.create_router(),
        entry_points(hr_tools.create_router()),  # before browse: HR's /vacancies is the board
        entry_points(broadcast.create_router()),  # HR's: before browse takes typed text
        entry_points(slots.create_router()),  # HR's /slots, /agenda and /stages
        # A candidate with a live application writes to HR; typed text of everyone else
        # goes on to the search (bot.handlers.conversation).
        conversation.create_router(),
        entry_points(browse.create_router()),
        hr.create_router(),
        booking.create_router(),  # the candidate's slot and booking buttons
        application.create_router(),  # after browse: /vacancies works in the form
        fallback.create_router(),
    )
    root.include_routers(*(gate_callbacks(router) for router in routers))
    return root

"""All routers, in the order they are tried. Built anew for every Dispatcher."""

from aiogram import Router

from bot.handlers import browse, fallback, questionnaire, start


def build_root_router() -> Router:
    root = Router(name="root")
    root.include_routers(
        start.create_router(),
        questionnaire.create_router(),
        browse.create_router(),
        fallback.create_router(),
    )
    return root
